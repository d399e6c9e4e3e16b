using System.Collections.Generic;
using System.Globalization;
using Shootdown.Simulation;

namespace Shootdown.Explorer
{
    /// <summary>One row of a witness: the CPU lane (-1 for the end-of-run check) and what happened, in Linux terms.</summary>
    /// <param name="Lane">The CPU, or -1 for the end-of-run check.</param>
    /// <param name="Text">The event, named after the Linux step.</param>
    /// <param name="IsViolation">The row is a broken invariant.</param>
    public readonly record struct WitnessRow(int Lane, string Text, bool IsViolation);

    /// <summary>Turns a trace into witness rows named the way kernel engineers name the steps.</summary>
    public static class WitnessEvents
    {
        /// <summary>The rows of <paramref name="execution"/>'s trace (run with the trace on) for <paramref name="scenario"/> on <paramref name="d"/>.</summary>
        public static IReadOnlyList<WitnessRow> Rows(Execution execution, RaceScenario scenario, ArchDescriptor d)
        {
            var rows = new List<WitnessRow>();
            var violation = 0;
            foreach (var e in execution.Trace)
            {
                var role = e.Cpu >= 0 && e.Cpu < scenario.Roles.Count ? scenario.Roles[e.Cpu] : "cpu" + e.Cpu.ToString(CultureInfo.InvariantCulture);
                if (e.Kind == EventKind.Violation)
                {
                    var detail = violation < execution.Violations.Count ? execution.Violations[violation].Detail : ((ViolationKind)e.A).ToString();
                    violation++;
                    rows.Add(new WitnessRow(e.Cpu, $"VIOLATION: {Kind((ViolationKind)e.A)} ({detail})", true));
                    continue;
                }
                rows.Add(new WitnessRow(e.Cpu, Describe(e, role, d), false));
            }
            foreach (var failure in execution.Failures) rows.Add(new WitnessRow(-1, "VIOLATION: " + failure, true));
            return rows;
        }

        private static string Kind(ViolationKind kind) => kind switch
        {
            ViolationKind.ReadFreedTable => "read of freed table",
            ViolationKind.StaleTlbUse => "stale TLB entry used after its page was freed",
            ViolationKind.StaleWalkCacheUse => "page-walk cache points at a freed table",
            ViolationKind.TornPte => "torn PTE accepted",
            ViolationKind.WrongPagePinned => "page pinned that was never mapped there",
            ViolationKind.DoubleFree => "double free",
            ViolationKind.FreeWhileReferenced => "freed while still in use",
            ViolationKind.PageLeaked => "page leaked",
            ViolationKind.UseAfterFree => "use after free",
            ViolationKind.StaleAfterReturn => "stale translation after the call returned",
            ViolationKind.GupNotLinearizable => "GUP returned a page not mapped there while referenced",
            _ => kind.ToString(),
        };

        private static string Hex(ulong v) => "0x" + v.ToString("x", CultureInfo.InvariantCulture);

        /// <summary>One event in Linux terms.</summary>
        public static string Describe(TraceEvent e, string role, ArchDescriptor d)
        {
            string Level(ulong level) => PageTableLevels.Name((int)level, d.Levels);
            return e.Kind switch
            {
                EventKind.EntryCleared when e.B == 0 => $"{role}: pte cleared {Hex(e.A)} (ptep_get_and_clear)",
                EventKind.EntryCleared => $"{role}: {Level(e.B)} entry cleared {Hex(e.A)}, {Level(e.B - 1)} table unhooked",
                EventKind.LocalFlush => $"local_flush_tlb_range [{Hex(e.A)}, {Hex(e.B)}){(e.C != 0 ? " + walk cache" : "")}",
                EventKind.IpiFlush => $"tlb_flush_mmu_tlbonly → flush_tlb_range (IPI to mask {Hex(e.C)}, waits)",
                EventKind.BroadcastFlush => $"tlb_flush_mmu_tlbonly → flush_tlb_range (broadcast{(e.C != 0 ? ", freed tables" : "")}, waits for nobody)",
                EventKind.WalkCacheFlush => "page-walk cache invalidated",
                EventKind.IpiSent => $"smp_call_function → IPI to cpu{e.A}",
                EventKind.IpiTaken => $"IPI from cpu{e.A} taken (interrupts on)",
                EventKind.RcuQueued => "call_rcu (free after a grace period)",
                EventKind.RcuCallback => "RCU callback runs: grace period over",
                EventKind.PageFreed => $"page {e.A} freed",
                EventKind.TableFreed => $"tlb_remove_table → free: page-table page {e.A} freed",
                EventKind.WalkerRead => $"{role}: {Level(e.B)} read {Hex(e.A)}",
                EventKind.GatherStart => e.A != 0 ? "tlb_gather_mmu_fullmm" : "tlb_gather_mmu",
                EventKind.GatherFinish => "tlb_finish_mmu",
                EventKind.PageBatched => $"__tlb_remove_page {e.A} (batched)",
                EventKind.TableBatched => $"tlb_remove_table {e.A}/{e.B} (batched)",
                EventKind.BatchAllocated => e.B != 0 ? $"table batch page {e.A} allocated" : $"gather batch page {e.A} allocated",
                EventKind.CacheFlush => "tlb_start_vma: flush_cache_range",
                EventKind.AllocationFailed when (FrameUse)e.A == FrameUse.TableBatch => "table batch allocation failed → tlb_remove_table_one",
                EventKind.AllocationFailed => $"allocation failed ({(FrameUse)e.A})",
                _ => e.ToString(),
            };
        }
    }
}
