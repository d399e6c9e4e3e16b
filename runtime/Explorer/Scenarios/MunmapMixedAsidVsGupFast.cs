using Shootdown.Simulation;

namespace Shootdown.Explorer.Scenarios
{
    /// <summary>
    /// x86 INVLPGB on a mixed system: two mms, the first with a global ASID (flushed by broadcast, waits for nobody), the
    /// second without (flushed by IPI). cpu0 unmaps the target in each; cpu1 runs fast GUP on each. The IPI is held off by
    /// the walker's interrupts-off region; the broadcast is not, so only RCU table freeing keeps the first mm's PTE
    /// table alive under the walker (SHD002).
    /// </summary>
    public sealed class MunmapMixedAsidVsGupFast : RaceScenario
    {
        /// <summary>The scenario.</summary>
        public MunmapMixedAsidVsGupFast() : base("munmap-global-asid-vs-gup-fast", "munmap vs get_user_pages_fast in a broadcast (global ASID) and an IPI mm", "munmap", "gup_fast") { }

        /// <inheritdoc/>
        public override bool AppliesTo(ArchDescriptor d) => d.FastGup && d.GlobalAsidBroadcast;

        /// <inheritdoc/>
        public override ArchDescriptor Project(ArchDescriptor d) => Projection.WithoutRefill(Projection.WithoutWalker(Projection.ReadIfObservable(d)));

        /// <inheritdoc/>
        public override string Window => "munmap cleared an entry on the walker's path while the walk was in flight";

        /// <inheritdoc/>
        public override RacePreparation Prepare(ArchDescriptor d, ArchitectureOps subject)
        {
            var (m, broadcast) = ScenarioSetup.Boot(d, 2);
            var ipi = m.CreateMm() ?? throw new System.InvalidOperationException("no frame for the second PGD");
            foreach (var cpu in m.Cpus) cpu.SwitchTo(ipi);
            ScenarioSetup.TargetAndNeighbour(m, ipi);
            foreach (var cpu in m.Cpus) cpu.SwitchTo(broadcast); // both CPUs stay in the IPI mm's cpumask
            ScenarioSetup.TargetAndNeighbour(m, broadcast);
            broadcast.GlobalAsid = true; // consider_global_asid gave it one (active on many CPUs)
            var page = (ulong)m.Geometry.PageSize;
            var window = new MidWalkWindow(m, initiator: 0, walker: 1);
            var scenario = new Scenario()
                .On(0, cpu =>
                {
                    subject.Munmap(cpu, broadcast, ScenarioSetup.Target(m), 2 * page);
                    subject.Munmap(cpu, ipi, ScenarioSetup.Target(m), 2 * page);
                })
                .On(1, cpu =>
                {
                    ScenarioSetup.GupAndPut(subject, cpu, broadcast, ScenarioSetup.Target(m), 2);
                    window.WalkEnded();
                    ScenarioSetup.GupAndPut(subject, cpu, ipi, ScenarioSetup.Target(m), 2);
                    window.WalkEnded();
                });
            return new RacePreparation(m, scenario, () => new[] { broadcast, ipi }, windowReached: () => window.Reached);
        }
    }
}
