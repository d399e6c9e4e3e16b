using System;
using Shootdown.Archs.Catalog;
using Shootdown.Archs.Jobs;

namespace Shootdown.Archs
{
    /// <summary>The command-line tool.</summary>
    public static class Program
    {
        /// <summary>With no arguments: unmap a populated region on every catalog architecture and summarize.</summary>
        public static int Main(string[] args)
        {
            if (args.Length > 0)
            {
                Console.Error.WriteLine($"unknown command '{args[0]}'; run with no arguments to unmap on every catalog architecture");
                return 2;
            }
            Console.WriteLine($"munmap of 2 x {UnmapJob.RegionBytes >> 20} MiB, faulted in on cpu0 and cached by cpu1, then exit_mmap:");
            Console.WriteLine();
            Console.WriteLine($"{"architecture",-14} {"pages",7} {"freed",7} {"tables",7} {"IPI",5} {"bcast",6} {"local",6} {"violations",10}  result");
            var failures = 0;
            foreach (var arch in ArchitectureCatalog.All)
            {
                var r = UnmapJob.Run(arch);
                if (!r.Clean) failures++;
                Console.WriteLine($"{r.Architecture,-14} {r.PagesMapped,7} {r.PagesFreed,7} {r.TablesFreed,7} {r.IpiFlushes,5} {r.BroadcastFlushes,6} {r.LocalFlushes,6} {r.Violations,10}  {(r.Clean ? "ok" : "BROKEN")}");
            }
            return failures == 0 ? 0 : 1;
        }
    }
}
