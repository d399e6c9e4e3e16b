using System.IO;
using Shootdown.Archs.Catalog;
using Shootdown.Archs.Jobs;

namespace Shootdown.Archs.Commands
{
    /// <summary>The main job on every catalog architecture, one line each: what was mapped, freed and flushed.</summary>
    public static class UnmapSummary
    {
        /// <summary>What each column of the table counts, one line per column, printed under it.</summary>
        public static readonly string[] Legend =
        {
            "pages: data pages mapped and faulted in (2 x 4 MiB / page size)",
            "freed: data pages returned to the allocator (gather batch pages not counted)",
            "tables: page-table pages freed (pte_free, tlb_remove_table, RCU callbacks)",
            "IPI: TLB flushes sent to other CPUs by IPI (flush_tlb_others)",
            "bcast: TLB invalidations by hardware broadcast (TLBI IS, IPTE, tlbie)",
            "local: flushes of the initiating CPU's own TLB (local_flush_tlb_*; each IPI shootdown starts with one)",
            "violations: broken teardown invariants (any makes the result BROKEN)",
        };

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
            output.WriteLine();
            foreach (var line in Legend) output.WriteLine(line);
            return failures == 0 ? 0 : 1;
        }
    }
}
