using System.Collections.Generic;
using Shootdown.Kernel;
using Shootdown.Simulation;

namespace Shootdown.Explorer.Scenarios
{
    /// <summary>
    /// Both fragments of one page-table page deferred with <c>pte_free_defer</c> (two khugepaged collapses on cpu0) while
    /// cpu1 walks both ranges: the page's single RCU head must free it once, after the grace period (<c>pte_free_defer</c>, mm/pgtable-generic.c; s390 keeps one rcu_head per page for both halves).
    /// </summary>
    public sealed class PteFreeDeferFragments : RaceScenario
    {
        /// <summary>The scenario.</summary>
        public PteFreeDeferFragments() : base("pte-free-defer-fragments", "both fragments of a page deferred with pte_free_defer vs a walker", "khugepaged", "walker") { }

        /// <inheritdoc/>
        public override bool AppliesTo(ArchDescriptor d) => d.HasFragments;

        /// <inheritdoc/>
        public override ArchDescriptor Project(ArchDescriptor d) => Projection.OnlyRcuOption(Projection.SoftwareWalker(d));

        /// <inheritdoc/>
        public override string Window => "collapse cleared a PMD while the walker held a PTE table under it";

        /// <inheritdoc/>
        public override RacePreparation Prepare(ArchDescriptor d, ArchitectureOps subject)
        {
            var (m, mm) = ScenarioSetup.Boot(d, 2, ScenarioSetup.CollapseFrames(d));
            var pmd = ScenarioSetup.PmdSize(m);
            var first = ScenarioSetup.Target(m);
            var second = ScenarioSetup.Neighbour(m);
            ScenarioSetup.MapAndFault(m, mm, first, pmd, 1);
            ScenarioSetup.MapAndFault(m, mm, second, pmd, 1);
            var window = new MidWalkWindow(m, initiator: 0, walker: 1, atLevel: 1);
            var scenario = new Scenario()
                .On(0, cpu =>
                {
                    // SCAN_PAGE_COUNT (the walker holds its pin) is a collapse the walker stopped; anything else explores nothing.
                    foreach (var at in new[] { first, second })
                    {
                        var result = Khugepaged.Collapse(cpu, mm, at, CollapseTableFree.Defer);
                        if (result is not (CollapseResult.Collapsed or CollapseResult.PagePinned))
                            throw new System.InvalidOperationException($"collapse_huge_page failed ({result}): the scenario explores nothing");
                    }
                })
                .On(1, cpu =>
                {
                    HardwareWalkerLoop.Software(subject, cpu, mm, second, 1);
                    if (d.HardwareWalksTables) Walkers.InFlightWalk(cpu, mm, first);
                    m.Mmu.Access(cpu, mm, second);
                    window.WalkEnded();
                });
            return new RacePreparation(m, scenario, () => new[] { mm }, windowReached: () => window.Reached);
        }
    }
}
