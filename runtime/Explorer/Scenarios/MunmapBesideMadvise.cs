using System.Collections.Generic;
using Shootdown.Simulation;

namespace Shootdown.Explorer.Scenarios
{
    /// <summary>
    /// The shape of 7a30df49f63a: munmap, downgraded to the mmap read lock, frees the target's PTE table while
    /// <c>MADV_DONTNEED</c> of the neighbour runs a second gather on the same mm, and a third CPU's MMU walks with its
    /// walk cache warm. Whichever gather finishes while the other is in flight sees <c>mm_tlb_flush_nested</c> and must
    /// flush the whole mm with <c>freed_tables</c> kept: resetting it leaves a walk-cache entry pointing at the freed
    /// table (the arm64 hang Jan Stancek reported, with last-level-only TLBI).
    /// </summary>
    public sealed class MunmapBesideMadvise : RaceScenario
    {
        /// <inheritdoc/>
        public override string Name => "munmap-beside-madvise-vs-hw-walker";

        /// <inheritdoc/>
        public override string Title => "munmap under the downgraded mmap_lock beside MADV_DONTNEED vs a hardware walker";

        /// <inheritdoc/>
        public override IReadOnlyList<string> Roles { get; } = new[] { "munmap", "madvise", "mmu" };

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
                .On(0, cpu => subject.Munmap(cpu, mm, ScenarioSetup.Target, 2 * page))
                .On(1, cpu => subject.DontNeed(cpu, mm, ScenarioSetup.Neighbour(m), page))
                .On(2, cpu => HardwareWalkerLoop.Run(cpu, mm, neighbour: false));
            return new RacePreparation(m, scenario, () => new[] { mm });
        }
    }
}
