using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using Shootdown.Archs.Catalog;
using Shootdown.Archs.Commands;
using Shootdown.Explorer;
using Shootdown.Package.Tests.Harness;

namespace Shootdown.Package.Tests.Check
{
    /// <summary>
    /// Every catalog architecture passes <c>shootdown check</c>: each scenario that applies, on the generated code and on
    /// the reference, proved violation-free. At preemption bound 1 and without random or PCT runs, to keep CI short;
    /// scenarios whose known race lies deeper raise their own bound (<c>RaceScenario.MinimumPreemptions</c>). The CLI's
    /// default (bound 2, 64 random and 64 PCT runs) takes minutes for the catalog and is run by hand (docs/performance.md).
    /// </summary>
    public sealed class CatalogCheckTests
    {
        private static readonly SearchBounds Ci = SearchBounds.Default with { Preemptions = 1, Random = 0, Pct = 0 };

        public static IEnumerable<object[]> Architectures() => ArchitectureCatalog.Names.Select(n => new object[] { n });

        [Theory]
        [MemberData(nameof(Architectures))]
        public void Check_proves_every_scenario_of_the_architecture(string arch)
        {
            var ops = ArchitectureCatalog.Find(arch)!;
            Assert.True(ops.IsGenerated, arch + " runs its generated code");
            var output = new StringWriter();
            var code = CheckCatalog.Run(new[] { ops }, Ci, json: false, allowInconclusive: false, CancellationToken.None, output, TextWriter.Null, jobs: 1);
            var text = output.ToString();
            var applicable = RaceScenarios.All.Count(s => s.AppliesTo(ops.Descriptor));
            Assert.True(code == 0, text);
            // Generated and reference each explore what applies to them (era variants run on the reference only).
            var explored = RaceScenarios.All.Count(s => RaceCheck.Explores(s, ops.Descriptor, ops))
                + RaceScenarios.All.Count(s => RaceCheck.Explores(s, ops.Descriptor, Shootdown.Simulation.ArchitectureOps.Reference));
            Assert.Contains($"{explored} explorations", text, StringComparison.Ordinal);
            Assert.Contains("proved: in every scenario", text, StringComparison.Ordinal);
            Assert.True(applicable >= 3, $"{arch}: only {applicable} scenarios apply");
        }

        [Fact]
        public void Every_class_in_archs_Catalog_is_registered_once_under_its_name()
        {
            var declared = Directory.GetFiles(Path.Combine(RepositoryRoot.Path, "archs", "Catalog"), "*.cs")
                .SelectMany(f => Regex.Matches(File.ReadAllText(f), "\\[Architecture\\(\"([^\"]+)\"").Select(m => m.Groups[1].Value))
                .OrderBy(n => n, StringComparer.Ordinal).ToList();
            Assert.Equal(declared, ArchitectureCatalog.Names.OrderBy(n => n, StringComparer.Ordinal).ToList());
        }
    }
}
