using System.Collections.Generic;
using System.Linq;
using Shootdown.Archs.Catalog;
using Shootdown.Archs.Commands;
using Shootdown.Explorer;
using Shootdown.Simulation;

namespace Shootdown.Runtime.Tests.Explorer
{
    /// <summary>
    /// Each race rule of DescriptorRules: the explorer finds a witness on a descriptor that breaks only that rule, the
    /// witness replays to the same trace, and the catalog architecture it departs from stays clean in the same scenario.
    /// </summary>
    public sealed class RaceRuleWitnessTests
    {
        private static readonly SearchBounds Bounds = new(Preemptions: 1, MaxSystematic: 400, Random: 4, Pct: 2);

        public static IEnumerable<object[]> Rules() => CheckWitnesses.All.Select(d => new object[] { d.Rule });

        private static readonly Dictionary<string, ViolationKind[]> Expected = new()
        {
            [DescriptorRules.FragmentsWithoutTableFree] = new[] { ViolationKind.FreeWhileReferenced, ViolationKind.ReadFreedTable },
            [DescriptorRules.SoftwareWalkerWithoutRcu] = new[] { ViolationKind.ReadFreedTable },
            [DescriptorRules.NoTableInvalidateWithWalker] = new[] { ViolationKind.ReadFreedTable, ViolationKind.StaleWalkCacheUse },
            [DescriptorRules.NoGatherWithoutSyncClear] = new[] { ViolationKind.StaleTlbUse },
            [DescriptorRules.TornPteRead] = new[] { ViolationKind.TornPte, ViolationKind.WrongPagePinned },
        };

        [Theory]
        [MemberData(nameof(Rules))]
        public void The_explorer_finds_a_witness_that_replays_to_the_same_trace(string rule)
        {
            var demo = CheckWitnesses.All.Single(d => d.Rule == rule);
            Assert.True(DescriptorId.TryDecode(demo.Descriptor, out var d, out var error), error);
            Assert.Equal(new[] { rule }, DescriptorRules.Check(d).Where(f => f.Rule.IsRace).Select(f => f.Id));
            var scenario = RaceScenarios.Find(demo.Scenario)!;
            var report = RaceExplorer.Explore(scenario, d, ArchitectureOps.Reference, Bounds);
            Assert.NotNull(report.Witness);
            Assert.Contains(report.Witness!.Violations[0].Kind, Expected[rule]);

            Assert.True(ReplayId.TryParse(report.WitnessId, out var id, out error), error);
            Assert.Equal(demo.Scenario, id.Scenario);
            Assert.True(DescriptorId.TryDecode(id.Descriptor, out var decoded, out error), error);
            Assert.Equal(d with { Name = "" }, decoded with { Name = "" });
            var first = RaceExplorer.Replay(scenario, decoded, ArchitectureOps.Reference, id.Schedule);
            var again = RaceExplorer.Replay(scenario, decoded, ArchitectureOps.Reference, id.Schedule);
            Assert.True(first.IsViolation);
            Assert.Equal(report.Witness.Schedule, first.Schedule);
            Assert.Equal(first.Trace, again.Trace);
            Assert.Contains(first.Trace, e => e.Kind == EventKind.Violation);

            var rows = WitnessEvents.Rows(first, scenario, decoded);
            var lanes = LaneDiagram.Render(rows, scenario.Roles);
            Assert.Contains("VIOLATION", lanes);
            Assert.Contains("cpu0 " + scenario.Roles[0], lanes);
            Assert.Contains("cpu1 " + scenario.Roles[1], lanes);
            var svg = System.Xml.Linq.XDocument.Parse(SvgLanes.Render(rule, report.WitnessId!, rows, scenario.Roles));
            Assert.Equal("svg", svg.Root!.Name.LocalName);
        }

        [Theory]
        [MemberData(nameof(Rules))]
        public void The_catalog_neighbour_is_clean_in_the_same_scenario(string rule)
        {
            var demo = CheckWitnesses.All.Single(d => d.Rule == rule);
            var ops = ArchitectureCatalog.Find(demo.Neighbour)!;
            Assert.False(DescriptorRules.IsUnsafe(ops.Descriptor));
            var scenario = RaceScenarios.Find(demo.Scenario)!;
            if (!scenario.AppliesTo(ops.Descriptor)) scenario = RaceScenarios.Find("munmap-vs-hw-walker")!;
            foreach (var subject in new[] { ArchitectureOps.Reference, ops })
            {
                var report = RaceExplorer.Explore(scenario, ops.Descriptor, subject, Bounds);
                Assert.True(report.Clean, report.ToString());
            }
        }

        [Fact]
        public void The_lockless_fork_that_copies_before_publishing_misses_a_kernel_entry()
        {
            var scenario = RaceScenarios.KnownBroken.Single();
            var d = ArchitectureCatalog.Find("x86-64")!.Descriptor;
            var report = RaceExplorer.Explore(scenario, d, ArchitectureOps.Reference, Bounds with { StopAtFirst = true });
            Assert.NotNull(report.Witness);
            Assert.Contains("lacks kernel entry", report.Witness!.FirstProblem);
            var correct = RaceExplorer.Explore(RaceScenarios.Find("fork-vs-kernel-pgd-entry")!, d, ArchitectureOps.Reference, Bounds);
            Assert.True(correct.Clean, correct.ToString());
        }
    }
}
