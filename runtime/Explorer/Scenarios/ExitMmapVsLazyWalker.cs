using Shootdown.Simulation;

namespace Shootdown.Explorer.Scenarios
{
    /// <summary>
    /// exit_mmap on cpu0 while cpu1 runs a kernel thread with the dying mm still loaded (lazy TLB): cpu1's MMU may still
    /// walk the mm's tables speculatively, through its walk cache, but no user access translates through them any more.
    /// A fullmm gather may therefore leave stale leaf entries (arm64, s390: <see cref="FullMmFlush"/>) but must flush the
    /// walk caches before the tables are freed.
    /// </summary>
    public sealed class ExitMmapVsLazyWalker : RaceScenario
    {
        /// <summary>The scenario.</summary>
        public ExitMmapVsLazyWalker() : base("exit-mmap-vs-lazy-walker", "exit_mmap vs a lazily loaded CPU's speculative walks", "exit_mmap", "lazy mmu") { }

        /// <inheritdoc/>
        public override bool AppliesTo(ArchDescriptor d) => d.HardwareWalksTables;

        /// <inheritdoc/>
        public override ArchDescriptor Project(ArchDescriptor d) => Projection.WithoutRefill(Projection.WithoutGup(d));

        /// <inheritdoc/>
        public override string Window => "exit_mmap cleared an entry on the lazy walker's path while the walk was in flight";

        /// <inheritdoc/>
        public override RacePreparation Prepare(ArchDescriptor d, ArchitectureOps subject)
        {
            var (m, mm) = ScenarioSetup.Boot(d, 2);
            ScenarioSetup.TargetAndNeighbour(m, mm);
            var page = (ulong)m.Geometry.PageSize;
            m.Cpu(1).EnterLazyTlb(); // the task on cpu1 exited; a kernel thread keeps its mm loaded (active_mm)
            var window = new MidWalkWindow(m, initiator: 0, walker: 1);
            Walkers.StartWalk(m.Cpu(1), mm, ScenarioSetup.Target(m) + page);
            var scenario = new Scenario()
                // exit_mmap without pgd_free: the PGD goes at __mmdrop, which the lazy user's mm_count holds off.
                .On(0, cpu => subject.ExitMmap(cpu, mm, m.Geometry.TaskSize))
                .On(1, cpu =>
                {
                    // Speculation and prefetch only: a kernel thread makes no user access, so a stale leaf entry is
                    // never used, while the walk cache points into tables exit_mmap is freeing.
                    for (var round = 0; round < 2; round++)
                    {
                        Walkers.InFlightWalk(cpu, mm, ScenarioSetup.Target(m) + page);
                        m.Mmu.SpeculativeWalk(cpu, mm, ScenarioSetup.Target(m));
                        m.Mmu.SpeculativeWalk(cpu, mm, ScenarioSetup.Neighbour(m));
                    }
                    window.WalkEnded();
                });
            return new RacePreparation(m, scenario, () => new[] { mm }, windowReached: () => window.Reached);
        }
    }
}
