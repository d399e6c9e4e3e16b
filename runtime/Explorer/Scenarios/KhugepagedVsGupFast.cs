using System;
using System.Collections.Generic;
using Shootdown.Kernel;
using Shootdown.Simulation;

namespace Shootdown.Explorer.Scenarios
{
    /// <summary>
    /// khugepaged on cpu0 collapses a PMD range (<c>pmdp_collapse_flush</c>, then the old PTE table goes by
    /// <c>pte_free_defer</c>) while cpu1's fast GUP is inside that PTE table (70cbc3cc78a9, 2ba99c5e0881).
    /// </summary>
    public sealed class KhugepagedVsGupFast : RaceScenario
    {
        private readonly CollapseTableFree _free;

        /// <summary>The collapse as Linux does it since 6.5: the old PTE table goes by <c>pte_free_defer</c>.</summary>
        public KhugepagedVsGupFast() : this(CollapseTableFree.Defer)
        {
        }

        /// <summary>
        /// The collapse freeing the old PTE table as <paramref name="free"/> says: the other ways are the history
        /// (<see cref="CollapseTableFree.SyncThenFree"/>) and the bug it fixed (<see cref="CollapseTableFree.FreeWithoutSync"/>).
        /// </summary>
        public KhugepagedVsGupFast(CollapseTableFree free) => _free = free;

        /// <inheritdoc/>
        public override string Name => "khugepaged-vs-gup-fast";

        /// <inheritdoc/>
        public override string Title => "khugepaged collapse (pmdp_collapse_flush, pte_free_defer) vs get_user_pages_fast";

        /// <inheritdoc/>
        public override IReadOnlyList<string> Roles { get; } = new[] { "khugepaged", "gup_fast" };

        /// <inheritdoc/>
        public override bool AppliesTo(ArchDescriptor d) => d.FastGup;

        /// <inheritdoc/>
        public override ArchDescriptor Project(ArchDescriptor d) => Projection.OnlyRcuOption(Projection.WithoutRefill(Projection.WithoutWalker(Projection.ReadIfObservable(d))));

        /// <inheritdoc/>
        public override string Window => "collapse cleared the PMD while gup_fast held the old PTE table";

        /// <inheritdoc/>
        public override RacePreparation Prepare(ArchDescriptor d, ArchitectureOps subject)
        {
            var (m, mm) = ScenarioSetup.Boot(d, 2, ScenarioSetup.CollapseFrames(d));
            ScenarioSetup.MapAndFault(m, mm, ScenarioSetup.Target, ScenarioSetup.PmdSize(m), 2);
            var window = new MidWalkWindow(m, initiator: 0, walker: 1, atLevel: 1);
            var scenario = new Scenario()
                .On(0, cpu =>
                {
                    if (!Khugepaged.CollapseHugePage(cpu, mm, ScenarioSetup.Target, _free))
                        throw new InvalidOperationException("collapse_huge_page failed: the scenario explores nothing");
                })
                .On(1, cpu =>
                {
                    ScenarioSetup.GupAndPut(subject, cpu, mm, ScenarioSetup.Target, 2);
                    window.WalkEnded();
                });
            return new RacePreparation(m, scenario, () => new[] { mm }, windowReached: () => window.Reached);
        }
    }
}
