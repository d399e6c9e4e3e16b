using System;
using System.Collections.Generic;
using System.Threading;
using Shootdown.Kernel;
using Shootdown.Simulation;

namespace Shootdown.Explorer.Scenarios
{
    /// <summary>
    /// khugepaged on cpu0 collapses a PMD range while cpu1's MMU, whose walk cache holds the old PTE table, keeps
    /// translating it. <c>pmdp_collapse_flush</c> clears a PMD that points to a page table, so its
    /// <c>flush_tlb_range</c> must drop the walk caches too (x86 passed <c>freed_tables=false</c> until 3ef938c35035,
    /// "x86/mm: Fix flush_tlb_range() when used for zapping normal PMDs"; arm64's never used last-level invalidation).
    /// </summary>
    public sealed class KhugepagedVsHardwareWalker : RaceScenario
    {
        /// <summary>The scenario.</summary>
        public KhugepagedVsHardwareWalker() : base("khugepaged-vs-hw-walker",
            "khugepaged collapse (pmdp_collapse_flush, pte_free_defer) vs a hardware walker with a page-walk cache", "khugepaged", "mmu") { }

        /// <inheritdoc/>
        public override bool AppliesTo(ArchDescriptor d) => d.HardwareWalksTables;

        /// <inheritdoc/>
        public override ArchDescriptor Project(ArchDescriptor d) => Projection.WithoutRefill(Projection.WithoutGup(d));

        /// <inheritdoc/>
        public override string Window => "cpu1's MMU walked the collapsed range after the collapse cleared its PMD";

        /// <inheritdoc/>
        public override RacePreparation Prepare(ArchDescriptor d, ArchitectureOps subject)
        {
            var (m, mm) = ScenarioSetup.Boot(d, 2, ScenarioSetup.CollapseFrames(d));
            var page = (ulong)m.Geometry.PageSize;
            ScenarioSetup.MapAndFault(m, mm, ScenarioSetup.Target(m), ScenarioSetup.PmdSize(m), 2);
            m.Mmu.Access(m.Cpu(1), mm, ScenarioSetup.Target(m)); // TLB and walk cache warm
            var window = new ClearThenWalkWindow(m, initiator: 0, walker: 1, ScenarioSetup.Target(m));
            var collapseOver = new bool[1];
            var scenario = new Scenario()
                .On(0, cpu =>
                {
                    var result = Khugepaged.Collapse(cpu, mm, ScenarioSetup.Target(m));
                    if (result != CollapseResult.Collapsed)
                        throw new InvalidOperationException($"collapse_huge_page failed ({result}): the scenario explores nothing");
                    m.Rcu.SynchronizeRcu(cpu); // the deferred PTE table is gone after this
                    Volatile.Write(ref collapseOver[0], true);
                })
                .On(1, cpu =>
                {
                    m.Mmu.Access(cpu, mm, ScenarioSetup.Target(m) + page);
                    m.Scheduling.WaitUntil(cpu, () => Volatile.Read(ref collapseOver[0]), "the collapse");
                    m.Mmu.Access(cpu, mm, ScenarioSetup.Target(m) + page); // a TLB miss: the walk starts from the walk cache
                });
            return new RacePreparation(m, scenario, () => new[] { mm }, windowReached: () => window.Reached);
        }
    }
}
