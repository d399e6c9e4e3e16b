using System.Collections.Generic;
using Shootdown.Simulation;

namespace Shootdown.Explorer.Scenarios
{
    /// <summary>
    /// Two gathers on one mm at once, under the mmap read lock, with the MMU of a third CPU using the range and its walk
    /// cache warm. Either two <c>MADV_DONTNEED</c>s of the same range: the gather that finds the PTEs already cleared
    /// must still flush (<c>mm_tlb_flush_nested</c>, 99baac21e458). Or the shape of 7a30df49f63a: munmap, downgraded to
    /// the read lock, frees the target's PTE table while <c>MADV_DONTNEED</c> of the neighbour runs beside it; a nested
    /// finish must flush the whole mm and keep <c>freed_tables</c>, or a walk-cache entry keeps pointing at the freed
    /// table (the arm64 hang Jan Stancek reported, with last-level-only TLBI).
    /// </summary>
    public sealed class NestedGathers : RaceScenario
    {
        private readonly bool _munmap;

        /// <summary>The scenario with munmap beside <c>MADV_DONTNEED</c> (<paramref name="munmap"/>), or two of those.</summary>
        public NestedGathers(bool munmap)
        {
            _munmap = munmap;
            Roles = new[] { munmap ? "munmap" : "madvise", "madvise", "mmu" };
        }

        /// <inheritdoc/>
        public override string Name => _munmap ? "munmap-beside-madvise-vs-hw-walker" : "nested-gathers-vs-walker";

        /// <inheritdoc/>
        public override string Title => _munmap
            ? "munmap under the downgraded mmap_lock beside MADV_DONTNEED vs a hardware walker"
            : "two gathers on one mm (MADV_DONTNEED twice) vs a hardware walker";

        /// <inheritdoc/>
        public override IReadOnlyList<string> Roles { get; }

        /// <inheritdoc/>
        public override bool AppliesTo(ArchDescriptor d) => true;

        /// <inheritdoc/>
        public override ArchDescriptor Project(ArchDescriptor d) => Projection.WithoutRefill(Projection.WithoutGup(d));

        /// <inheritdoc/>
        public override string Window => "a gather finished while the other CPU's gather on the same mm was in flight (mm_tlb_flush_nested)";

        /// <inheritdoc/>
        public override RacePreparation Prepare(ArchDescriptor d, ArchitectureOps subject)
        {
            var (m, mm) = ScenarioSetup.Boot(d, 3);
            var window = new NestedWindow(m);
            ScenarioSetup.TargetAndNeighbour(m, mm);
            var page = (ulong)m.Geometry.PageSize;
            Walkers.StartWalk(m.Cpu(2), mm, ScenarioSetup.Target(m) + page); // a speculative walk already in flight
            // MADV_DONTNEED returns only once no CPU translates the range any more: user space may write there next and
            // must fault in a fresh page (99baac21e458). The machine checks that at return (ReturnGuarantee).
            var scenario = _munmap
                ? new Scenario()
                    .On(0, cpu => subject.Munmap(cpu, mm, ScenarioSetup.Target(m), 2 * page))
                    .On(1, cpu => subject.DontNeed(cpu, mm, ScenarioSetup.Neighbour(m), page))
                : new Scenario()
                    .On(0, cpu => subject.DontNeed(cpu, mm, ScenarioSetup.Target(m), 2 * page))
                    .On(1, cpu => subject.DontNeed(cpu, mm, ScenarioSetup.Target(m), 2 * page));
            scenario.On(2, cpu => HardwareWalkerLoop.Run(cpu, mm, neighbour: false));
            return new RacePreparation(m, scenario, () => new[] { mm }, windowReached: () => window.Reached);
        }

        // Gathers in flight on cpu0 and cpu1, from tlb_gather_mmu to tlb_finish_mmu: a finish while the other is in
        // flight is the one that sees tlb_flush_pending above its own (mm/mmu_gather.c tlb_finish_mmu).
        private sealed class NestedWindow
        {
            private readonly bool[] _inFlight = new bool[2];

            public NestedWindow(Machine m)
            {
                var previous = m.Trace.Observer;
                m.Trace.Observer = e =>
                {
                    previous?.Invoke(e);
                    if (e.Cpu is < 0 or > 1) return;
                    if (e.Kind == EventKind.GatherStart) _inFlight[e.Cpu] = true;
                    else if (e.Kind == EventKind.GatherFinish)
                    {
                        if (_inFlight[1 - e.Cpu]) Reached = true;
                        _inFlight[e.Cpu] = false;
                    }
                };
            }

            public bool Reached { get; private set; }
        }
    }
}
