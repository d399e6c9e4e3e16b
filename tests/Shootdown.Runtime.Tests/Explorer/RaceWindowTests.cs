using System.Collections.Generic;
using System.Linq;
using Shootdown.Archs.Catalog;
using Shootdown.Explorer;
using Shootdown.Explorer.Scenarios;
using Shootdown.Kernel;

namespace Shootdown.Runtime.Tests.Explorer
{
    /// <summary>
    /// A scenario that never enters its race proves nothing: on every catalog architecture it applies to, each scenario
    /// that declares a window reaches it in at least one execution explored with small bounds, and stays clean.
    /// </summary>
    public sealed class RaceWindowTests
    {
        private static readonly SearchBounds Small = new(Preemptions: 1, MaxSystematic: 120, Random: 0, Pct: 0);

        public static IEnumerable<object[]> Cases() =>
            from s in RaceScenarios.All
            where s.Window != null
            from n in ArchitectureCatalog.Names
            where s.WindowAppliesTo(ArchitectureCatalog.Find(n)!.Descriptor)
            select new object[] { s.Name, n };

        [Theory]
        [MemberData(nameof(Cases))]
        public void The_declared_window_is_reached(string scenario, string arch)
        {
            var ops = ArchitectureCatalog.Find(arch)!;
            var probe = new RaceWindowProbe(RaceScenarios.Find(scenario)!);
            var report = RaceExplorer.Explore(probe, ops.Descriptor, ops, Small);
            Assert.True(report.Clean, report.ToString());
            Assert.True(probe.Reached > 0, $"{scenario} on {arch}: '{probe.Window}' never reached in {probe.Executions} executions");
        }

        [Fact]
        public void The_collapse_scenario_declares_its_window()
        {
            Assert.NotNull(new KhugepagedVsGupFast().Window);
            Assert.Contains(RaceScenarios.All, s => s.Name == "khugepaged-vs-gup-fast" && s.Window != null);
        }

        [Fact]
        public void A_collapse_that_cannot_allocate_its_folio_fails_the_execution()
        {
            var ops = ArchitectureCatalog.All.First(o => o.Descriptor.FastGup);
            var scenario = new KhugepagedVsGupFast();
            var prep = scenario.Prepare(ops.Descriptor, ops);
            // Make alloc_charge_folio fail: the scenario must not pass silently with nothing collapsed.
            prep.Machine.Memory.FailNext(Shootdown.Simulation.FrameUse.Data, 1);
            var run = prep.Machine.Run(prep.Scenario, new Shootdown.Simulation.RunOptions(MaxSteps: 20_000));
            Assert.NotEqual(Shootdown.Simulation.RunOutcome.Completed, run.Outcome);
        }
    }
}
