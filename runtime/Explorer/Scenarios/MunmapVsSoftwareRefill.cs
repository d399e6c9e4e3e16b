using System.Collections.Generic;
using Shootdown.Simulation;

namespace Shootdown.Explorer.Scenarios
{
    /// <summary>
    /// munmap on cpu0 while cpu1's software TLB refill handler walks the tables with interrupts off and fills its TLB
    /// (SHD002 for the refill handler).
    /// </summary>
    public sealed class MunmapVsSoftwareRefill : RaceScenario
    {
        /// <summary>The scenario.</summary>
        public MunmapVsSoftwareRefill() : base("munmap-vs-sw-refill", "munmap vs a software TLB refill handler (interrupts off)", "munmap", "tlb_refill") { }

        /// <inheritdoc/>
        public override bool AppliesTo(ArchDescriptor d) => d.SoftwareTlbRefill;

        /// <inheritdoc/>
        public override ArchDescriptor Project(ArchDescriptor d) => Projection.WithoutGup(d);

        /// <inheritdoc/>
        public override string Window => "munmap cleared an entry on the refill's path while the refill walk was in flight";

        /// <inheritdoc/>
        public override RacePreparation Prepare(ArchDescriptor d, ArchitectureOps subject)
        {
            var (m, mm) = ScenarioSetup.Boot(d, 2);
            ScenarioSetup.TargetAndNeighbour(m, mm);
            var page = (ulong)m.Geometry.PageSize;
            var window = new MidWalkWindow(m, initiator: 0, walker: 1);
            var scenario = new Scenario()
                .On(0, cpu => subject.Munmap(cpu, mm, ScenarioSetup.Target(m), 2 * page))
                .On(1, cpu =>
                {
                    Walkers.SoftwareRefill(cpu, mm, ScenarioSetup.Target(m) + page);
                    Walkers.SoftwareRefill(cpu, mm, ScenarioSetup.Target(m));
                    window.WalkEnded();
                });
            return new RacePreparation(m, scenario, () => new[] { mm }, windowReached: () => window.Reached);
        }
    }
}
