using System.Collections.Generic;
using System.Linq;
using Shootdown.Archs.Catalog;
using Shootdown.Explorer;

namespace Shootdown.Runtime.Tests.Explorer
{
    /// <summary>Every catalog architecture's generated code on every scenario that applies to it, with small bounds: no schedule breaks it.</summary>
    public sealed class CatalogExplorationTests
    {
        private static readonly SearchBounds Small = new(Preemptions: 1, MaxSystematic: 250, Random: 2, Pct: 1);

        public static IEnumerable<object[]> Architectures() => ArchitectureCatalog.Names.Select(n => new object[] { n });

        [Theory]
        [MemberData(nameof(Architectures))]
        public void No_schedule_within_small_bounds_breaks_the_generated_code(string arch)
        {
            var ops = ArchitectureCatalog.Find(arch)!;
            var subject = ops;
            Assert.True(subject.IsGenerated);
            var explored = 0;
            foreach (var scenario in RaceScenarios.All.Where(s => s.AppliesTo(ops.Descriptor)))
            {
                var report = RaceExplorer.Explore(scenario, ops.Descriptor, subject, Small);
                Assert.True(report.Clean, report.ToString());
                Assert.True(report.Executions > 1, report.ToString());
                explored++;
            }
            Assert.True(explored >= 3, $"{arch}: only {explored} scenarios apply");
        }

        [Fact]
        public void The_generated_subject_of_an_architecture_without_fast_gup_pins_nothing()
        {
            var ops = ArchitectureCatalog.All.First(o => !o.Descriptor.FastGup);
            var subject = ops;
            var (m, mm) = ScenarioSetup.Boot(ops.Descriptor, 1);
            ScenarioSetup.MapAndFault(m, mm, ScenarioSetup.Target, (ulong)m.Geometry.PageSize, 1);
            Assert.Equal(0, ScenarioSetup.GupAndPut(subject, m.Cpu(0), mm, ScenarioSetup.Target, 1));
        }
    }
}
