using System.Collections.Generic;
using Shootdown.Simulation;

namespace Shootdown.Explorer.Scenarios
{
    /// <summary>
    /// munmap on cpu0 while cpu1's fast GUP walks the same two pages with interrupts off: the PTE table is unhooked,
    /// invalidated and freed under the walker unless the flush or the table free waits for it (SHD002), and a torn PTE
    /// read pins a page never mapped there (SHD005).
    /// </summary>
    public sealed class MunmapVsGupFast : RaceScenario
    {
        /// <summary>The scenario.</summary>
        public MunmapVsGupFast() : base("munmap-vs-gup-fast", "munmap vs get_user_pages_fast on the same range", "munmap", "gup_fast") { }

        /// <inheritdoc/>
        public override bool AppliesTo(ArchDescriptor d) => d.FastGup;

        /// <inheritdoc/>
        public override ArchDescriptor Project(ArchDescriptor d) => Projection.WithoutRefill(Projection.WithoutWalker(Projection.ReadIfObservable(d)));

        /// <inheritdoc/>
        public override string Window => "munmap cleared an entry on the walker's path while the walk was in flight";

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
                    ScenarioSetup.GupAndPut(subject, cpu, mm, ScenarioSetup.Target(m), 2);
                    window.WalkEnded();
                });
            return new RacePreparation(m, scenario, () => new[] { mm }, windowReached: () => window.Reached);
        }
    }
}
