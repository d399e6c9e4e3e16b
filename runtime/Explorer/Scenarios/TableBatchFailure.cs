using System.Collections.Generic;
using Shootdown.Simulation;

namespace Shootdown.Explorer.Scenarios
{
    /// <summary>
    /// munmap with the table-batch page allocation failing (<c>tlb_remove_table_one</c>: the table is freed at once,
    /// after an invalidate and a walker sync only if the configuration does them) against a hardware walker
    /// (SHD003: no table invalidate leaves a walk cache or a walk in flight on the freed table) or a lockless software
    /// walker (0ed1325967, d86564a2f085).
    /// </summary>
    public sealed class TableBatchFailure : RaceScenario
    {
        private readonly bool _hardware;

        /// <summary>The scenario against a hardware walker (<paramref name="hardware"/>) or a software one.</summary>
        public TableBatchFailure(bool hardware)
        {
            _hardware = hardware;
            Roles = new[] { "munmap (no table batch)", hardware ? "mmu" : "sw walker" };
        }

        /// <inheritdoc/>
        public override string Name => _hardware ? "table-batch-oom-vs-hw-walker" : "table-batch-oom-vs-sw-walker";

        /// <inheritdoc/>
        public override string Title => _hardware
            ? "table batch allocation failure (tlb_remove_table_one) vs a hardware walker"
            : "table batch allocation failure (tlb_remove_table_one) vs fast GUP or a TLB refill";

        /// <inheritdoc/>
        public override IReadOnlyList<string> Roles { get; }

        /// <inheritdoc/>
        public override bool AppliesTo(ArchDescriptor d) =>
            d.Has(GatherOptions.TableFree) && (_hardware ? d.HardwareWalksTables : d.HasSoftwareWalker);

        /// <inheritdoc/>
        public override ArchDescriptor Project(ArchDescriptor d) => _hardware ? Projection.WithoutRefill(Projection.WithoutGup(d)) : Projection.SoftwareWalker(d.FastGup ? Projection.WithoutWalker(d) : d);

        /// <inheritdoc/>
        /// <remarks>
        /// Declared for the software walker only: against the hardware walker no execution within one preemption and
        /// 120 schedules clears an entry under a walk in flight (the walker's warm TLB answers without walking), so
        /// that variant does not yet show its window reached.
        /// </remarks>
        public override string? Window => _hardware ? null : "munmap cleared an entry on the walker's path while the walk was in flight (table batch unavailable)";

        /// <inheritdoc/>
        /// <remarks>
        /// Against a hardware walker with <c>MMU_GATHER_NO_TABLE_INVALIDATE</c> (SHD003), kernels since the page-table
        /// reclaim series free the table by <c>call_rcu</c> rather than right after the IPI sync, and a hardware walk does
        /// not hold off a grace period; the free then lands under a walk in flight only after the flush's IPI has been
        /// taken and the walk resumed from its cache, three preemptions deep.
        /// </remarks>
        public override int MinimumPreemptions => _hardware ? 3 : 0;

        /// <inheritdoc/>
        public override RacePreparation Prepare(ArchDescriptor d, ArchitectureOps subject)
        {
            var (m, mm) = ScenarioSetup.Boot(d, 2);
            ScenarioSetup.TargetAndNeighbour(m, mm);
            var page = (ulong)m.Geometry.PageSize;
            Walkers.StartWalk(m.Cpu(1), mm, ScenarioSetup.Target + page); // a speculative walk already in flight
            m.Memory.FailNext(FrameUse.TableBatch, 64); // every __get_free_page(GFP_NOWAIT) for a batch fails
            var hardware = _hardware;
            var window = new MidWalkWindow(m, initiator: 0, walker: 1);
            var scenario = new Scenario()
                .On(0, cpu => subject.Munmap(cpu, mm, ScenarioSetup.Target, 2 * page))
                .On(1, cpu =>
                {
                    if (hardware) HardwareWalkerLoop.Run(cpu, mm, neighbour: false);
                    else HardwareWalkerLoop.Software(subject, cpu, mm, ScenarioSetup.Target, 2);
                    window.WalkEnded();
                });
            return new RacePreparation(m, scenario, () => new[] { mm }, windowReached: () => window.Reached);
        }
    }
}
