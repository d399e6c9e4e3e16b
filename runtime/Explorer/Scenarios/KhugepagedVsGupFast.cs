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
        public override RacePreparation Prepare(ArchDescriptor d, ArchitectureOps subject)
        {
            // A PMD-size folio is 2^(PMD_SHIFT - PAGE_SHIFT) naturally aligned frames (512 with 4 KiB pages). Memory is two
            // halves (below and above 4 GiB) that allocations alternate between, and a folio lies in one: four folios'
            // worth beside the usual frames leaves an aligned free run in each half, so the collapse is never refused.
            var g = new PageTableGeometry(d);
            var folio = 1 << (g.Shift(1) - g.PageShift);
            var (m, mm) = ScenarioSetup.Boot(d, 2, ScenarioSetup.Frames + 4 * folio);
            ScenarioSetup.MapAndFault(m, mm, ScenarioSetup.Target, ScenarioSetup.PmdSize(m), 2);
            var scenario = new Scenario()
                .On(0, cpu =>
                {
                    // Nothing in this scenario may make the collapse give up (no pin is checked, the VMA stays): a refusal
                    // means the race was never set up, and must not pass as "no violation".
                    if (!Khugepaged.CollapseHugePage(cpu, mm, ScenarioSetup.Target, _free))
                        throw new InvalidOperationException("collapse_huge_page did not collapse: the scenario never reached its race");
                })
                .On(1, cpu => ScenarioSetup.GupAndPut(subject, cpu, mm, ScenarioSetup.Target, 2));
            return new RacePreparation(m, scenario, () => new[] { mm });
        }
    }
}
