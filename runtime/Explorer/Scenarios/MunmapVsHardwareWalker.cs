using System.Collections.Generic;
using Shootdown.Simulation;

namespace Shootdown.Explorer.Scenarios
{
    /// <summary>
    /// munmap on cpu0 while cpu1's MMU walks and uses translations: a stale TLB entry used after its page was freed
    /// (SHD004), a walk-cache pointer or a walk in flight into a freed table, a whole page freed under a live fragment
    /// (SHD001).
    /// </summary>
    public sealed class MunmapVsHardwareWalker : RaceScenario
    {
        /// <summary>The scenario.</summary>
        public MunmapVsHardwareWalker() : base("munmap-vs-hw-walker", "munmap vs a hardware walker with TLB and page-walk cache", "munmap", "mmu") { }

        /// <inheritdoc/>
        public override bool AppliesTo(ArchDescriptor d) => true;

        /// <inheritdoc/>
        public override ArchDescriptor Project(ArchDescriptor d) => Projection.WithoutRefill(Projection.WithoutGup(d));

        /// <inheritdoc/>
        public override string Window => "munmap cleared an entry on the walker's path while the walk was in flight";

        /// <inheritdoc/>
        /// <remarks>Only a machine whose MMU walks the tables has a walk in flight; a hash or TSB refill has none to watch.</remarks>
        public override bool WindowAppliesTo(ArchDescriptor d) => AppliesTo(d) && d.HardwareWalksTables;

        /// <inheritdoc/>
        public override RacePreparation Prepare(ArchDescriptor d, ArchitectureOps subject)
        {
            var (m, mm) = ScenarioSetup.Boot(d, 2);
            ScenarioSetup.TargetAndNeighbour(m, mm);
            var page = (ulong)m.Geometry.PageSize;
            var window = new MidWalkWindow(m, initiator: 0, walker: 1); // sees the walk the start state leaves in flight
            Walkers.StartWalk(m.Cpu(1), mm, ScenarioSetup.Target(m) + page); // a speculative walk already in flight
            var scenario = new Scenario()
                .On(0, cpu => subject.Munmap(cpu, mm, ScenarioSetup.Target(m), 2 * page))
                .On(1, cpu =>
                {
                    HardwareWalkerLoop.Run(cpu, mm);
                    window.WalkEnded();
                });
            return new RacePreparation(m, scenario, () => new[] { mm }, windowReached: () => window.Reached);
        }
    }
}
