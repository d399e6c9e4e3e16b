using System.Collections.Generic;
using Shootdown.Simulation;

namespace Shootdown.Explorer.Scenarios
{
    /// <summary>
    /// Two gathers on one mm at once (two <c>MADV_DONTNEED</c> under the mmap read lock) with the MMU of a third CPU using
    /// the range: the gather that finds the PTEs already cleared must still flush (<c>mm_tlb_flush_nested</c>) and keep
    /// <c>freed_tables</c> (7a30df49f63a).
    /// </summary>
    public sealed class NestedGathers : RaceScenario
    {
        /// <inheritdoc/>
        public override string Name => "nested-gathers-vs-walker";

        /// <inheritdoc/>
        public override string Title => "two gathers on one mm (MADV_DONTNEED twice) vs a hardware walker";

        /// <inheritdoc/>
        public override IReadOnlyList<string> Roles { get; } = new[] { "madvise", "madvise", "mmu" };

        /// <inheritdoc/>
        public override bool AppliesTo(ArchDescriptor d) => true;

        /// <inheritdoc/>
        public override ArchDescriptor Project(ArchDescriptor d) => Projection.WithoutRefill(Projection.WithoutGup(d));

        /// <inheritdoc/>
        public override RacePreparation Prepare(ArchDescriptor d, RaceSubject subject)
        {
            var (m, mm) = ScenarioSetup.Boot(d, 3);
            ScenarioSetup.TargetAndNeighbour(m, mm);
            var page = (ulong)m.Geometry.PageSize;
            Walkers.StartWalk(m.Cpu(2), mm, ScenarioSetup.Target + page); // a speculative walk already in flight
            var scenario = new Scenario()
                .On(0, cpu => subject.DontNeed(cpu, mm, ScenarioSetup.Target, 2 * page))
                .On(1, cpu => subject.DontNeed(cpu, mm, ScenarioSetup.Target, 2 * page))
                .On(2, cpu => HardwareWalkerLoop.Run(cpu, mm, neighbour: false));
            return new RacePreparation(m, scenario, () => new[] { mm });
        }
    }
}
