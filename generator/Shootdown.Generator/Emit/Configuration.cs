using System.Collections.Generic;

namespace Shootdown.Generator.Emit
{
    /// <summary>
    /// The sentences that open each generated piece: what the code was specialized for and why, in Kconfig terms,
    /// the way the Regex generator explains its pattern.
    /// </summary>
    internal static class Configuration
    {
        public static IEnumerable<string> Explain(ArchDescriptor d)
        {
            yield return d.Invalidation == Invalidation.Ipi
                ? d.GlobalAsidBroadcast
                    ? "Invalidation per mm: INVLPGB broadcast for an mm with a global ASID (waits for nobody), IPIs for every other mm (an interrupts-off walker holds them off)."
                    : "Invalidation by IPI: the flush waits until every CPU took the interrupt, so an interrupts-off walker holds it off."
                : d.SynchronousOnClear
                    ? "Invalidation by hardware broadcast, and clearing a PTE invalidates it on every CPU at once (IPTE)."
                    : "Invalidation by hardware broadcast: nobody is interrupted and nobody is waited for.";
            yield return $"{d.Levels}-level page tables, {d.PageSize / 1024} KiB pages, {d.PteBits}-bit PTEs on a {d.WordBits}-bit word"
                + (d.AtomicLoadBits > d.WordBits ? $" with {d.AtomicLoadBits}-bit single-copy-atomic loads" : "")
                + (d.FragmentsPerPage > 1 ? $", {d.FragmentsPerPage} PTE tables per page" : "")
                + (d.PmdFragmentsPerPage > 1 ? $", {d.PmdFragmentsPerPage} PMD tables per page (pmd_fragment_alloc)" : "")
                + (d.DeclaresEntries ? ", " + d.DeclaredEntriesText() : "")
                + ".";
            yield return d.Walker switch
            {
                WalkerKind.None => "The hardware never walks the Linux tables.",
                WalkerKind.WalksTables => "The hardware walks the Linux tables.",
                _ => "The hardware walks the Linux tables and caches upper levels: freed tables need the walk caches flushed.",
            };
            if (d.FullMmFlush == FullMmFlush.FreedTablesOnly)
                yield return "At exit_mmap (fullmm) only freed tables are flushed: the ASID is not reused before the whole TLB is (arm64).";
            else if (d.FullMmFlush == FullMmFlush.Lazy)
                yield return "At exit_mmap (fullmm) PTEs are cleared without IPTE and only freed tables are flushed (s390 __tlb_flush_mm_lazy).";
            if (d.FastGup) yield return "Fast GUP walks the tables locklessly with interrupts off.";
            if (d.SoftwareTlbRefill) yield return "A software TLB refill handler walks the tables with interrupts off.";
            yield return "Options: " + GatherOptionNames.Kconfig(d.EffectiveOptions) + ".";
            if (d.PmdFreeFlushesAll && d.Levels >= 3)
                yield return "Freeing a PMD table sets need_flush_all: every later flush of the gather is of the whole mm (x86 PAE, whose CPU caches the PDPTEs).";
            if (d.Has(GatherOptions.NoGather))
                yield return d.SynchronousOnClear
                    ? "MMU_GATHER_NO_GATHER: pages are freed as their PTE is cleared, which IPTE makes safe; there are no page batches."
                    : "MMU_GATHER_NO_GATHER: pages are freed as their PTE is cleared; there are no page batches.";
            else
                yield return $"Page batches: an {GatherGeometry.Bundle}-entry bundle, then up to {GatherGeometry.MaxGatherBatchCount(d)} batch pages of {GatherGeometry.MaxGatherBatch(d)} (MAX_GATHER_BATCH_COUNT, MAX_GATHER_BATCH).";
            if (d.Has(GatherOptions.RcuTableFree))
                yield return $"Page tables go through a table batch of {GatherGeometry.MaxTableBatch(d)} (MAX_TABLE_BATCH) freed after a sched-RCU grace period, which lockless walkers hold off.";
            else if (d.Has(GatherOptions.TableFree))
                yield return $"Page tables go through a table batch of {GatherGeometry.MaxTableBatch(d)} (MAX_TABLE_BATCH) freed right after the invalidate.";
            else
                yield return "Page tables are freed as pages, through the page batch, after the invalidate (tlb_remove_page).";
            // A race the analyzer reports as an error is generated as described, so the explorer can show it; the
            // generated code says so too, for whoever reads it without the IDE (docs/diagnostics/README.md).
            foreach (var finding in DescriptorRules.Check(d))
            {
                if (finding.Rule.IsRace && finding.Rule.Severity == FindingSeverity.Error)
                    yield return $"UNSAFE as described ({finding.Id}, {finding.Rule.Title}): generated as specified so that the race explorer can show the race.";
            }
        }
    }
}
