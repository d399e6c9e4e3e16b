using System.IO;
using Shootdown.Archs.Catalog;
using Shootdown.Archs.Jobs;

namespace Shootdown.Archs.Commands
{
    /// <summary>The main job on every catalog architecture, one line each: what was mapped, freed and flushed.</summary>
    public static class UnmapSummary
    {
        /// <summary>Runs the unmap job everywhere and writes the table to <paramref name="output"/>; 1 if any run broke.</summary>
        public static int Run(TextWriter output)
        {
            output.WriteLine($"munmap of 2 x {UnmapJob.RegionBytes >> 20} MiB, faulted in on cpu0 and cached by cpu1, then exit_mmap:");
            output.WriteLine();
            output.WriteLine($"{"architecture",-16} {"pages",7} {"freed",7} {"tables",7} {"IPI",5} {"bcast",6} {"local",6} {"violations",10}  result");
            var failures = 0;
            foreach (var arch in ArchitectureCatalog.All)
            {
                var r = UnmapJob.Run(arch);
                if (!r.Clean) failures++;
                output.WriteLine($"{r.Architecture,-16} {r.PagesMapped,7} {r.PagesFreed,7} {r.TablesFreed,7} {r.IpiFlushes,5} {r.BroadcastFlushes,6} {r.LocalFlushes,6} {r.Violations,10}  {(r.Clean ? "ok" : "BROKEN")}");
            }
            return failures == 0 ? 0 : 1;
        }
    }
}
