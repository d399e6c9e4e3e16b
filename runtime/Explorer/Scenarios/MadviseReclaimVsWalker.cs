using System;
using System.Collections.Generic;
using Shootdown.Simulation;

namespace Shootdown.Explorer.Scenarios
{
    /// <summary>The lockless walker <see cref="MadviseReclaimVsWalker"/> races with.</summary>
    public enum ReclaimWalker
    {
        /// <summary><c>get_user_pages_fast</c>: interrupts off, PMD re-checked after the grab.</summary>
        GupFast,
        /// <summary>A <c>pte_offset_map</c> walker: <c>rcu_read_lock</c> with interrupts on (<see cref="Walkers.PteOffsetMap"/>).</summary>
        PteOffsetMap,
    }

    /// <summary>
    /// <c>madvise(MADV_DONTNEED)</c> over a whole PTE table on cpu0 under <c>CONFIG_PT_RECLAIM</c>: the zap empties the
    /// table, clears its PMD and frees it through the gather (mm/memory.c <c>zap_pte_range</c>, <c>pte_free_tlb</c>),
    /// all under <c>mmap_read_lock</c>, while cpu1 walks into that table without locks. Only RCU table freeing keeps the
    /// table alive for the walker (6375e95f381e "mm: pgtable: reclaim empty PTE page in madvise(MADV_DONTNEED)"; the
    /// table-batch fallback went from an IPI sync to <c>call_rcu</c> in 718b13861d22 "x86: mm: free page table pages by RCU
    /// instead of semi RCU", which the variant whose batch allocation fails shows).
    /// </summary>
    public sealed class MadviseReclaimVsWalker : RaceScenario
    {
        private readonly ReclaimWalker _walker;
        private readonly bool _batchFails;

        /// <summary>The scenario against <paramref name="walker"/>; <paramref name="batchFails"/>: every table-batch page allocation fails.</summary>
        public MadviseReclaimVsWalker(ReclaimWalker walker, bool batchFails = false)
        {
            if (!Enum.IsDefined(walker)) throw new ArgumentOutOfRangeException(nameof(walker), walker, "no such walker");
            _walker = walker;
            _batchFails = batchFails;
            Roles = new[] { batchFails ? "madvise (no table batch)" : "madvise", walker == ReclaimWalker.GupFast ? "gup_fast" : "pte_offset_map" };
        }

        /// <inheritdoc/>
        public override string Name => "madvise-reclaim" + (_batchFails ? "-oom" : "") + (_walker == ReclaimWalker.GupFast ? "-vs-gup-fast" : "-vs-rcu-walker");

        /// <inheritdoc/>
        public override string Title => "MADV_DONTNEED reclaiming an empty PTE table (CONFIG_PT_RECLAIM"
            + (_batchFails ? ", table batch allocation failing" : "") + ") vs "
            + (_walker == ReclaimWalker.GupFast ? "get_user_pages_fast" : "a pte_offset_map walker under rcu_read_lock");

        /// <inheritdoc/>
        public override IReadOnlyList<string> Roles { get; }

        /// <inheritdoc/>
        /// <remarks>A pte_offset_map walker exists on every machine (generic mm code); fast GUP only where it is built.</remarks>
        public override bool AppliesTo(ArchDescriptor d) => LinuxEras.PtReclaim(d) && (_walker != ReclaimWalker.GupFast || d.FastGup);

        /// <inheritdoc/>
        /// <remarks>
        /// No hardware walker or refill (their races with a freed table are other scenarios'), and of the gather options
        /// only RCU table freeing, which PT_RECLAIM depends on and which is all that decides the table's lifetime here.
        /// </remarks>
        public override ArchDescriptor Project(ArchDescriptor d)
        {
            var p = Projection.OnlyRcuOption(Projection.WithoutRefill(Projection.WithoutWalker(Projection.ReadIfObservable(d))));
            return _walker == ReclaimWalker.GupFast ? p : Projection.WithoutGup(p);
        }

        /// <inheritdoc/>
        public override string Window => "MADV_DONTNEED cleared the PMD of the emptied PTE table while the walker held that table";

        /// <inheritdoc/>
        public override RacePreparation Prepare(ArchDescriptor d, ArchitectureOps subject)
        {
            var (m, mm) = ScenarioSetup.Boot(d, 2);
            var pmd = ScenarioSetup.PmdSize(m);
            ScenarioSetup.MapAndFault(m, mm, ScenarioSetup.Target(m), pmd, 2);
            if (_batchFails) m.Memory.FailNext(FrameUse.TableBatch, 64); // every __get_free_page(GFP_NOWAIT) for a batch fails
            var window = new MidWalkWindow(m, initiator: 0, walker: 1, atLevel: 1);
            var walker = _walker;
            var scenario = new Scenario()
                .On(0, cpu =>
                {
                    var result = subject.DontNeed(cpu, mm, ScenarioSetup.Target(m), pmd);
                    if (result != 0 || PmdPresent(m, mm))
                        throw new InvalidOperationException($"MADV_DONTNEED returned {result} and left the PTE table in place: the scenario explores nothing");
                })
                .On(1, cpu =>
                {
                    if (walker == ReclaimWalker.GupFast) ScenarioSetup.GupAndPut(subject, cpu, mm, ScenarioSetup.Target(m), 2);
                    else Walkers.PteOffsetMap(cpu, mm, ScenarioSetup.Target(m), 2);
                    window.WalkEnded();
                });
            return new RacePreparation(m, scenario, () => new[] { mm }, windowReached: () => window.Reached);
        }

        // The target's PMD entry still points at a table (read with no scheduling point: cpu0's own check, not a step).
        private static bool PmdPresent(Machine m, Mm mm)
        {
            var g = m.Geometry;
            var table = mm.Pgd;
            for (var level = g.Levels - 1; level >= 1; level--)
            {
                var entry = PageTables.LoadAtomic(m, table, level, g.Index(level, ScenarioSetup.Target(m)));
                if (!Entry.IsPresent(entry)) return false;
                if (level == 1) return (entry & Entry.Leaf) == 0;
                table = PageTables.Deref(m, entry, level - 1);
            }
            return false;
        }
    }
}
