using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Shootdown.Archs.Commands;
using Shootdown.Explorer;
using Shootdown.Simulation;

namespace Shootdown.Runtime.Tests.Explorer
{
    /// <summary>
    /// A witness reads in schedule order: the row of a read that breaks the invariant because a table was freed comes after
    /// the row of that free, in the trace, the lane diagram and the SVG. The free used to be recorded only when the frame
    /// reached the allocator, scheduling points after the table had stopped being live, so the read printed first.
    /// </summary>
    public sealed class WitnessOrderTests
    {
        private static readonly SearchBounds Bounds = new(Preemptions: 1, MaxSystematic: 400, Random: 4, Pct: 2);
        private static readonly Regex FreedTable = new(@"table@(\d+)\b.* after it was freed", RegexOptions.CultureInvariant);

        // The race rules whose witness is a walker using a freed table (SHD002: fast GUP without RCU table freeing; SHD003:
        // a walk cache kept across the free): the rows that must follow a free.
        public static IEnumerable<object[]> Rules() => new[] { new object[] { DescriptorRules.SoftwareWalkerWithoutRcu }, new object[] { DescriptorRules.NoTableInvalidateWithWalker } };

        [Theory]
        [MemberData(nameof(Rules))]
        public void The_free_that_makes_a_read_a_violation_prints_before_that_read(string rule)
        {
            var demo = CheckWitnesses.All.Single(d => d.Rule == rule);
            Assert.True(DescriptorId.TryDecode(demo.Descriptor, out var d, out var error), error);
            var scenario = RaceScenarios.Find(demo.Scenario)!;
            var report = RaceExplorer.Explore(scenario, d, ArchitectureOps.Reference, Bounds);
            Assert.True(ReplayId.TryParse(report.WitnessId, out var id, out error), error);
            var execution = RaceExplorer.Replay(scenario, d, ArchitectureOps.Reference, id.Schedule);
            var rows = WitnessEvents.Rows(execution, scenario, d);

            var checkedRows = 0;
            for (var r = 0; r < rows.Count; r++)
            {
                var match = FreedTable.Match(rows[r].Text);
                if (!rows[r].IsViolation || !match.Success) continue;
                checkedRows++;
                var free = FreeRow(rows, match.Groups[1].Value);
                Assert.True(free >= 0 && free < r,
                    $"row {r + 1} ({rows[r].Text}) is not preceded by the free of page-table page {match.Groups[1].Value}:\n" + LaneDiagram.Render(rows, scenario.Roles));

                // The lane diagram numbers its rows in that order; the SVG draws them top to bottom in it.
                var lanes = LaneDiagram.Render(rows, scenario.Roles, width: 200);
                Assert.True(LaneNumber(lanes, "page-table page " + match.Groups[1].Value + " freed") < LaneNumber(lanes, "VIOLATION"), lanes);
                var svg = XDocument.Parse(SvgLanes.Render(rule, report.WitnessId!, rows, scenario.Roles));
                Assert.True(SvgY(svg, "page-table page " + match.Groups[1].Value + " freed") < SvgY(svg, "VIOLATION"));
            }
            Assert.True(checkedRows > 0, "the witness has no read of a freed table:\n" + LaneDiagram.Render(rows, scenario.Roles));
        }

        /// <summary>The witnesses docs/races shows, replayed from their ids: the same order holds in each.</summary>
        [Fact]
        public void In_every_documented_witness_the_free_prints_before_the_read_it_breaks()
        {
            var readme = System.IO.File.ReadAllText(System.IO.Path.Combine(RepositoryRoot(), "docs", "races", "README.md"));
            var ids = Regex.Matches(readme, @"`(v2:[^`]+)`").Select(m => m.Groups[1].Value).ToList();
            Assert.NotEmpty(ids);
            var checkedRows = 0;
            foreach (var replay in ids)
            {
                Assert.True(ReplayId.TryParse(replay, out var id, out var error), error);
                Assert.True(DescriptorId.TryDecode(id.Descriptor, out var d, out error), error);
                var scenario = RaceScenarios.Find(id.Scenario)!;
                var rows = WitnessEvents.Rows(RaceExplorer.Replay(scenario, d, ArchitectureOps.Reference, id.Schedule), scenario, d);
                for (var r = 0; r < rows.Count; r++)
                {
                    var match = FreedTable.Match(rows[r].Text);
                    if (!rows[r].IsViolation || !match.Success) continue;
                    checkedRows++;
                    var free = FreeRow(rows, match.Groups[1].Value);
                    Assert.True(free >= 0 && free < r, $"{replay}: row {r + 1} ({rows[r].Text}) is not preceded by the free of page-table page {match.Groups[1].Value}:\n"
                        + LaneDiagram.Render(rows, scenario.Roles));
                }
            }
            Assert.True(checkedRows >= 2, $"only {checkedRows} documented reads of a freed table");
        }

        private static string RepositoryRoot()
        {
            var dir = new System.IO.DirectoryInfo(System.AppContext.BaseDirectory);
            while (dir != null && !System.IO.File.Exists(System.IO.Path.Combine(dir.FullName, "Generator.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new System.InvalidOperationException("no Generator.sln above " + System.AppContext.BaseDirectory);
        }

        private static int FreeRow(IReadOnlyList<WitnessRow> rows, string pfn)
        {
            for (var r = 0; r < rows.Count; r++)
            {
                if (rows[r].Text.Contains("page-table page " + pfn + " freed", System.StringComparison.Ordinal)) return r;
            }
            return -1;
        }

        // The step number printed at the start of the first line that holds the text.
        private static int LaneNumber(string lanes, string text)
        {
            foreach (var line in lanes.Split('\n'))
            {
                var m = Regex.Match(line, @"^\s*(\d+) ");
                if (m.Success && line.Contains(text, System.StringComparison.Ordinal)) return int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            }
            return int.MaxValue;
        }

        private static double SvgY(XDocument svg, string text) =>
            svg.Descendants().Where(e => e.Name.LocalName == "text" && e.Value.Contains(text, System.StringComparison.Ordinal))
                .Select(e => double.Parse(e.Attribute("y")!.Value, CultureInfo.InvariantCulture)).DefaultIfEmpty(double.MaxValue).Min();
    }
}
