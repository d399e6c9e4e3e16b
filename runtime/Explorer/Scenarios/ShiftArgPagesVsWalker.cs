using System.Collections.Generic;
using Shootdown.Simulation;

namespace Shootdown.Explorer.Scenarios
{
    /// <summary>
    /// <c>shift_arg_pages</c> on cpu0 moves a two-page stack down by a PMD and frees the PTE table left behind with a
    /// gather that never saw <c>tlb_start_vma</c> (fs/exec.c <c>shift_arg_pages</c>; the "arm: mmu_gather rework" review of 2011); cpu1 walks the old stack address with every walker the
    /// architecture has.
    /// </summary>
    public sealed class ShiftArgPagesVsWalker : RaceScenario
    {
        /// <summary>The scenario.</summary>
        public ShiftArgPagesVsWalker() : base("shift-arg-pages-vs-walker", "exec's shift_arg_pages (free_pgd_range without tlb_start_vma) vs a walker", "shift_arg_pages", "walker") { }

        /// <inheritdoc/>
        public override bool AppliesTo(ArchDescriptor d) => true;

        /// <inheritdoc/>
        public override ArchDescriptor Project(ArchDescriptor d) => Projection.SoftwareWalker(d);

        /// <inheritdoc/>
        public override string Window => "shift_arg_pages cleared an entry on the walker's path while the walk was in flight";

        /// <inheritdoc/>
        /// <remarks>
        /// The window needs a walk past an upper-level entry. A software walker starts at the PGD; the hardware walk
        /// resumes from its walk cache, which with two levels already holds the PTE table, so it has no upper-level read
        /// in flight (classic ARM: the stale walk-cache entry is still explored, the window is not). Without any walker
        /// (um) there is no walk at all.
        /// </remarks>
        public override bool WindowAppliesTo(ArchDescriptor d) => d.HasSoftwareWalker || (d.HardwareWalksTables && d.Levels > 2);

        /// <inheritdoc/>
        public override RacePreparation Prepare(ArchDescriptor d, ArchitectureOps subject)
        {
            var (m, mm) = ScenarioSetup.Boot(d, 2);
            var page = (ulong)m.Geometry.PageSize;
            var pmd = ScenarioSetup.PmdSize(m);
            var old = ScenarioSetup.Target(m) + pmd;
            var stack = ScenarioSetup.MapAndFault(m, mm, old, 2 * page, 2);
            foreach (var c in m.Cpus) m.Mmu.Access(c, mm, old);
            var window = new MidWalkWindow(m, initiator: 0, walker: 1);
            var scenario = new Scenario()
                .On(0, cpu => subject.ShiftArgPages(cpu, mm, stack, pmd))
                .On(1, cpu =>
                {
                    HardwareWalkerLoop.Software(subject, cpu, mm, old, 1);
                    if (d.HardwareWalksTables) Walkers.InFlightWalk(cpu, mm, old + page);
                    m.Mmu.Access(cpu, mm, old);
                    window.WalkEnded();
                });
            return new RacePreparation(m, scenario, () => new[] { mm }, windowReached: () => window.Reached);
        }
    }
}
