using System;
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
    /// <remarks>
    /// What <c>tlb_remove_table_one</c> does depends on the Linux era (<see cref="LinuxEras.RemoveTableOne"/>), so beside
    /// the descriptor's own era the scenario is also built for another era (<see cref="Era"/>): it then applies only where
    /// that era's path differs from the descriptor's own and from every earlier era's that also differs, and explores
    /// the reference on the descriptor moved to that era (generated code is specialized for its own era, so it has no
    /// other era's path to explore).
    /// </remarks>
    public sealed class TableBatchFailure : RaceScenario
    {
        private readonly bool _hardware;

        /// <summary>
        /// The scenario against a hardware walker (<paramref name="hardware"/>) or a software one, in the descriptor's own
        /// era, or in <paramref name="era"/> when given.
        /// </summary>
        public TableBatchFailure(bool hardware, LinuxEra? era = null)
        {
            if (era is { } e && !Enum.IsDefined(e)) throw new ArgumentOutOfRangeException(nameof(era), era, "no such Linux era");
            _hardware = hardware;
            Era = era;
            Roles = new[] { "munmap (no table batch)", hardware ? "mmu" : "sw walker" };
        }

        /// <inheritdoc/>
        public override LinuxEra? Era { get; }

        /// <inheritdoc/>
        public override string Name => (_hardware ? "table-batch-oom-vs-hw-walker" : "table-batch-oom-vs-sw-walker") + (Era is { } e ? "-" + EraToken(e) : "");

        /// <inheritdoc/>
        public override string Title => (_hardware
            ? "table batch allocation failure (tlb_remove_table_one) vs a hardware walker"
            : "table batch allocation failure (tlb_remove_table_one) vs fast GUP or a TLB refill")
            + (Era is { } e ? ", as " + LinuxEras.Name(e) + " frees the table" : "");

        /// <inheritdoc/>
        public override IReadOnlyList<string> Roles { get; }

        /// <inheritdoc/>
        public override bool AppliesTo(ArchDescriptor d)
        {
            var moved = InEra(d);
            if (!moved.Has(GatherOptions.TableFree) || !(_hardware ? moved.HardwareWalksTables : moved.HasSoftwareWalker)) return false;
            if (Era is not { } era) return true;
            var path = LinuxEras.RemoveTableOne(moved);
            if (path == LinuxEras.RemoveTableOne(d)) return false; // the descriptor's own era explores this path
            foreach (var earlier in Enum.GetValues<LinuxEra>())
            {
                if (earlier == era) break;
                if (earlier != d.Linux && LinuxEras.RemoveTableOne(d with { Linux = earlier }) == path) return false; // explored there
            }
            return true;
        }

        /// <inheritdoc/>
        public override ArchDescriptor Project(ArchDescriptor d)
        {
            d = InEra(d);
            return _hardware ? Projection.WithoutRefill(Projection.WithoutGup(d)) : Projection.SoftwareWalker(d.FastGup ? Projection.WithoutWalker(d) : d);
        }

        // The descriptor's id token for an era ("era-v6_1"); the default era has none in an id, so it is spelled out.
        private static string EraToken(LinuxEra era)
        {
            var token = DescriptorKnobs.Of(DescriptorSlot.Linux)!.Id.Tokens![(int)era];
            return token.Length > 0 ? token : "era-" + era.ToString().ToLowerInvariant();
        }

        private ArchDescriptor InEra(ArchDescriptor d) => Era is { } e ? d with { Linux = e } : d;

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
            subject = SubjectFor(subject);
            d = InEra(d);
            var (m, mm) = ScenarioSetup.Boot(d, 2);
            ScenarioSetup.TargetAndNeighbour(m, mm);
            var page = (ulong)m.Geometry.PageSize;
            Walkers.StartWalk(m.Cpu(1), mm, ScenarioSetup.Target(m) + page); // a speculative walk already in flight
            m.Memory.FailNext(FrameUse.TableBatch, 64); // every __get_free_page(GFP_NOWAIT) for a batch fails
            var hardware = _hardware;
            var window = new MidWalkWindow(m, initiator: 0, walker: 1);
            var scenario = new Scenario()
                .On(0, cpu => subject.Munmap(cpu, mm, ScenarioSetup.Target(m), 2 * page))
                .On(1, cpu =>
                {
                    if (hardware) HardwareWalkerLoop.Run(cpu, mm, neighbour: false);
                    else HardwareWalkerLoop.Software(subject, cpu, mm, ScenarioSetup.Target(m), 2);
                    window.WalkEnded();
                });
            return new RacePreparation(m, scenario, () => new[] { mm }, windowReached: () => window.Reached);
        }
    }
}
