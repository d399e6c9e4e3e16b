using System;
using System.Collections.Generic;
using System.Threading;
using Shootdown.Kernel;
using Shootdown.Simulation;

namespace Shootdown.Explorer.Scenarios
{
    /// <summary>
    /// khugepaged on cpu0 collapses a PMD range (<c>pmdp_collapse_flush</c>, then the old PTE table is freed as the
    /// retract path of the descriptor's era frees it) while cpu1's fast GUP is inside that PTE table (70cbc3cc78a9,
    /// 2ba99c5e0881). The freeing form is the dangerous one: an anonymous <c>collapse_huge_page</c> deposits the table
    /// instead (<see cref="CollapseTableFree.Deposit"/>), and the model has no file mappings to retract.
    /// </summary>
    public sealed class KhugepagedVsGupFast : RaceScenario
    {
        private readonly CollapseTableFree? _free;

        /// <summary>
        /// The collapse freeing the old PTE table as the descriptor's era retracts (<see cref="Khugepaged.RetractFree"/>):
        /// <c>pte_free_defer</c> since v6.5, IPI sync then <c>pte_free</c> in v6.1.
        /// </summary>
        public KhugepagedVsGupFast()
        {
        }

        /// <summary>
        /// The collapse disposing of the old PTE table as <paramref name="free"/> says, whatever the era: the history
        /// (<see cref="CollapseTableFree.SyncThenFree"/>), the bug it fixed (<see cref="CollapseTableFree.FreeWithoutSync"/>)
        /// or the anonymous collapse's deposit.
        /// </summary>
        public KhugepagedVsGupFast(CollapseTableFree free) => _free = free;

        /// <inheritdoc/>
        public override string Name => "khugepaged-vs-gup-fast";

        /// <inheritdoc/>
        public override string Title => "khugepaged collapse (pmdp_collapse_flush, the era's retract free) vs get_user_pages_fast";

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
            ScenarioSetup.MapAndFault(m, mm, ScenarioSetup.Target(m), ScenarioSetup.PmdSize(m), 2);
            var window = new MidWalkWindow(m, initiator: 0, walker: 1, atLevel: 1);
            var free = _free ?? Khugepaged.RetractFree(d.Linux);
            var collapseOver = new bool[1];
            var scenario = new Scenario()
                .On(0, cpu =>
                {
                    // SCAN_PAGE_COUNT is a collapse fast GUP legitimately stopped by holding its pin; anything else means
                    // the scenario explores nothing.
                    var result = Khugepaged.Collapse(cpu, mm, ScenarioSetup.Target(m), free);
                    if (result is not (CollapseResult.Collapsed or CollapseResult.PagePinned))
                        throw new InvalidOperationException($"collapse_huge_page failed ({result}): the scenario explores nothing");
                    Volatile.Write(ref collapseOver[0], true);
                })
                .On(1, cpu =>
                {
                    GupCheckAndPut(subject, cpu, mm, 2, () => Volatile.Read(ref collapseOver[0]));
                    window.WalkEnded();
                });
            return new RacePreparation(m, scenario, () => new[] { mm }, windowReached: () => window.Reached);
        }

        // A page fast GUP returns must still be mapped while the pin is held: a collapse that replaced it (its mapping
        // gone) copied it into the huge page before the pin, and writes through the pin are lost (70cbc3cc78a9: without
        // the PMD re-check a grab after pmdp_collapse_flush and __collapse_huge_page_isolate succeeds).
        // The pins are held until the collapse is over, as a caller doing I/O into the pages holds them.
        private static void GupCheckAndPut(ArchitectureOps subject, Cpu cpu, Mm mm, int pages, Func<bool> collapseOver)
        {
            var m = cpu.Machine;
            var pinned = new int[pages];
            var n = subject.GupFast(cpu, mm, ScenarioSetup.Target(m), write: false, pinned);
            if (n > 0) m.Scheduling.WaitUntil(cpu, collapseOver, "the collapse");
            for (var i = 0; i < n; i++)
            {
                if (m.Memory.Counts(pinned[i]).Mappings == 0)
                    m.Violations.Report(ViolationKind.WrongPagePinned, cpu.Id,
                        $"cpu{cpu.Id} fast GUP returned frame {pinned[i]} for {ScenarioSetup.Target(m) + (ulong)i * (ulong)m.Geometry.PageSize:x}, which the collapse had already replaced: writes through the pin are lost");
            }
            for (var i = 0; i < n; i++) m.Memory.Put(pinned[i], cpu.Id);
        }
    }
}
