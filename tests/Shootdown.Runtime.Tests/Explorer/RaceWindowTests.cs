using System.Collections.Generic;
using System.Linq;
using Shootdown.Archs.Catalog;
using Shootdown.Explorer;
using Shootdown.Explorer.Scenarios;
using Shootdown.Kernel;
using Shootdown.Simulation;

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

        // A costly scenario's execution frees hundreds of tables: a few executions each.
        private static readonly SearchBounds Tiny = new(Preemptions: 1, MaxSystematic: 6, Random: 0, Pct: 0);

        public static IEnumerable<object[]> CostlyCases() =>
            from s in RaceScenarios.Costly
            from n in ArchitectureCatalog.Names
            where s.WindowAppliesTo(ArchitectureCatalog.Find(n)!.Descriptor)
            select new object[] { s.Name, n };

        [Theory]
        [MemberData(nameof(CostlyCases))]
        public void The_declared_window_of_a_costly_scenario_is_reached(string scenario, string arch)
        {
            var ops = ArchitectureCatalog.Find(arch)!;
            var probe = new RaceWindowProbe(RaceScenarios.Find(scenario)!);
            var report = RaceExplorer.Explore(probe, ops.Descriptor, ops, Tiny);
            Assert.True(report.Clean, report.ToString());
            Assert.True(probe.Reached > 0, $"{scenario} on {arch}: '{probe.Window}' never reached in {probe.Executions} executions");
        }

        [Fact]
        public void The_table_batch_overflow_is_built_where_a_batch_is_small_enough_to_fill()
        {
            var built = ArchitectureCatalog.Names.Where(n => new TableBatchOverflow().AppliesTo(ArchitectureCatalog.Find(n)!.Descriptor)).ToArray();
            Assert.Contains("x86-64", built);
            Assert.Contains("arm64", built);
            Assert.Contains("x86-pae", built); // 1021 slots: 1022 PTE tables of 2 MiB fit between 1 GiB and 4 GiB
            Assert.DoesNotContain("powerpc64-radix-64k", built); // MAX_TABLE_BATCH 8189
            Assert.DoesNotContain("powerpc-44x-256k", built); // 8 PTE tables in the whole space, 65533 slots
            Assert.DoesNotContain("arm", built); // no MMU_GATHER_TABLE_FREE
            Assert.Equal(GatherGeometry.MaxTableBatch(ArchitectureCatalog.Find("x86-64")!.Descriptor) + 1, TableBatchOverflow.Tables(ArchitectureCatalog.Find("x86-64")!.Descriptor));
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
