using System;
using System.Diagnostics;
using System.Threading;
using Shootdown.Archs.Catalog;
using Shootdown.Explorer;

namespace Shootdown.Runtime.Tests.Explorer
{
    /// <summary>
    /// A cancellation stops one exploration between two executions (not at its end): the report says it was cut, counts
    /// what ran, and claims nothing proved.
    /// </summary>
    public sealed class CancellationTests
    {
        // The plain search with six preemptions on x86-64's munmap against fast GUP runs for minutes; the cap is out of reach.
        private static readonly SearchBounds Long = new(Preemptions: 6, MaxSystematic: 10_000_000, Random: 0, Pct: 0, Search: SearchMode.ExhaustiveDfs);

        [Fact]
        public void A_cancelled_exploration_stops_between_executions_and_says_how_many_ran()
        {
            var x86 = ArchitectureCatalog.Find("x86-64")!;
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            var clock = Stopwatch.StartNew();

            var report = RaceExplorer.Explore(RaceScenarios.Find("munmap-vs-gup-fast")!, x86.Descriptor, x86, Long, cancel.Token);

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed} after a 300 ms cancellation");
            Assert.True(report.Interrupted);
            Assert.False(report.Exhausted);
            Assert.InRange(report.Systematic, 1, Long.MaxSystematic - 1);
            Assert.Equal(report.Systematic, report.Executions);
            var verdict = report.Verdict;
            Assert.Equal(VerdictKind.Inconclusive, verdict.Kind);
            Assert.Equal("interrupted", verdict.Cap);
            Assert.Contains($"interrupted after {report.Executions} executions", verdict.Sentence, StringComparison.Ordinal);
            Assert.Contains("(interrupted)", report.ToString(), StringComparison.Ordinal);
        }

        [Fact]
        public void A_token_cancelled_before_the_start_runs_nothing_and_an_uncancelled_one_changes_nothing()
        {
            var x86 = ArchitectureCatalog.Find("x86-64")!;
            var scenario = RaceScenarios.Find("munmap-vs-gup-fast")!;
            var small = new SearchBounds(Preemptions: 1, Random: 2, Pct: 2);

            var none = RaceExplorer.Explore(scenario, x86.Descriptor, x86, small, new CancellationToken(canceled: true));
            Assert.True(none.Interrupted);
            Assert.Equal(0, none.Executions);
            Assert.Contains("interrupted after 0 executions", none.Verdict.Sentence, StringComparison.Ordinal);

            using var idle = new CancellationTokenSource();
            var whole = RaceExplorer.Explore(scenario, x86.Descriptor, x86, small, idle.Token);
            Assert.False(whole.Interrupted);
            Assert.Equal(VerdictKind.Proved, whole.Verdict.Kind);
            Assert.Equal(RaceExplorer.Explore(scenario, x86.Descriptor, x86, small).Executions, whole.Executions);
        }
    }
}
