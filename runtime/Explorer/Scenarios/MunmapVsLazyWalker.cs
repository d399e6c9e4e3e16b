using System.Collections.Generic;
using Shootdown.Simulation;

namespace Shootdown.Explorer.Scenarios
{
    /// <summary>
    /// munmap on cpu0, the mm's only user, while cpu1 runs a kernel thread with the mm still loaded lazily
    /// (<c>enter_lazy_tlb</c>): no user of the mm, but its MMU may walk the mm's tables speculatively from the walk
    /// cache at any time. Freeing a page table must still reach cpu1 (mm_count, not mm_users: a6f572084fbe, "mm/tlb:
    /// Remove tlb_remove_table() non-concurrent condition"; x86 <c>native_flush_tlb_multi</c> interrupts lazy CPUs when
    /// tables were freed).
    /// </summary>
    public sealed class MunmapVsLazyWalker : RaceScenario
    {
        /// <summary>The scenario.</summary>
        public MunmapVsLazyWalker() : base("munmap-vs-lazy-walker",
            "munmap by the mm's only user vs a lazy-TLB CPU whose walk cache holds the freed table", "munmap", "lazy mmu") { }

        /// <inheritdoc/>
        public override bool AppliesTo(ArchDescriptor d) => d.HardwareWalksTables;

        /// <inheritdoc/>
        public override ArchDescriptor Project(ArchDescriptor d) => Projection.WithoutRefill(Projection.WithoutGup(d));

        /// <inheritdoc/>
        public override string Window => "the lazy CPU's MMU walked the unmapped range after munmap cleared the PMD entry of its PTE table";

        /// <inheritdoc/>
        public override RacePreparation Prepare(ArchDescriptor d, ArchitectureOps subject)
        {
            var (m, mm) = ScenarioSetup.Boot(d, 2);
            ScenarioSetup.TargetAndNeighbour(m, mm);
            var page = (ulong)m.Geometry.PageSize;
            m.Cpu(1).EnterLazyTlb(); // a kernel thread now; the mm stays loaded, its walk cache warm
            var window = new ClearThenWalkWindow(m, initiator: 0, walker: 1, ScenarioSetup.Target(m));
            var scenario = new Scenario()
                .On(0, cpu => subject.Munmap(cpu, mm, ScenarioSetup.Target(m), 2 * page))
                .On(1, cpu =>
                {
                    m.Mmu.SpeculativeWalk(cpu, mm, ScenarioSetup.Target(m) + page);
                    m.Mmu.SpeculativeWalk(cpu, mm, ScenarioSetup.Target(m) + page);
                });
            return new RacePreparation(m, scenario, () => new[] { mm }, windowReached: () => window.Reached);
        }
    }
}
