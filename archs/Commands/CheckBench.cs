using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using Shootdown.Explorer;
using Shootdown.Simulation;

namespace Shootdown.Archs.Commands
{
    /// <summary>
    /// <c>check --bench [ARCH...]</c>: the explorer's benchmark. Each applicable scenario of each architecture's generated
    /// code is explored by the plain search and by DPOR at the same bounds, systematic part only, one after the other in
    /// one process; the table gives executions and time of each and the ratios. Build Release and quote one run.
    /// </summary>
    public static class CheckBench
    {
        /// <summary>Runs the benchmark on <paramref name="targets"/> at <paramref name="bounds"/>; 0 unless a verdict differs.</summary>
        public static int Run(IReadOnlyList<ArchitectureOps> targets, SearchBounds bounds, TextWriter output)
        {
            var systematic = bounds with { Random = 0, Pct = 0, StopAtFirst = false };
            output.WriteLine($"explorer benchmark: exhaustive-dfs vs dpor, preemption bound {systematic.Preemptions}, cap {systematic.MaxSystematic}, systematic executions only");
            output.WriteLine($"{"arch",-16} {"scenario",-34} {"dfs exec",9} {"dfs s",7} {"dpor exec",9} {"dpor s",7} {"exec x",7} {"time x",7}  verdicts");
            long dfsTotal = 0, dporTotal = 0;
            double dfsSeconds = 0, dporSeconds = 0;
            var differ = 0;
            foreach (var target in targets)
            {
                foreach (var scenario in RaceScenarios.All)
                {
                    if (!scenario.AppliesTo(target.Descriptor)) continue;
                    var (dfs, dfsTime) = Timed(scenario, target, systematic with { Search = SearchMode.ExhaustiveDfs });
                    var (dpor, dporTime) = Timed(scenario, target, systematic with { Search = SearchMode.Dpor });
                    dfsTotal += dfs.Systematic;
                    dporTotal += dpor.Systematic;
                    dfsSeconds += dfsTime;
                    dporSeconds += dporTime;
                    var same = dfs.Verdict.Kind == dpor.Verdict.Kind;
                    if (!same) differ++;
                    output.WriteLine(FormattableString.Invariant(
                        $"{target.Name,-16} {scenario.Name,-34} {dfs.Systematic,9} {dfsTime,7:0.00} {dpor.Systematic,9} {dporTime,7:0.00} {Ratio(dfs.Systematic, dpor.Systematic),7} {Ratio(dfsTime, dporTime),7}  {Verdict.Name(dfs.Verdict.Kind)}/{Verdict.Name(dpor.Verdict.Kind)}{(same ? "" : "  DIFFER")}"));
                }
            }
            output.WriteLine(FormattableString.Invariant(
                $"{"total",-51} {dfsTotal,9} {dfsSeconds,7:0.0} {dporTotal,9} {dporSeconds,7:0.0} {Ratio(dfsTotal, dporTotal),7} {Ratio(dfsSeconds, dporSeconds),7}"));
            output.WriteLine(FormattableString.Invariant(
                $"executions per second: exhaustive-dfs {dfsTotal / Math.Max(dfsSeconds, 1e-9):0}, dpor {dporTotal / Math.Max(dporSeconds, 1e-9):0}; {differ} verdicts differ"));
            return differ == 0 ? 0 : CheckCommand.Found;
        }

        private static (ExplorationReport Report, double Seconds) Timed(RaceScenario scenario, ArchitectureOps ops, SearchBounds bounds)
        {
            var clock = Stopwatch.StartNew();
            var report = RaceExplorer.Explore(scenario, ops.Descriptor, ops, bounds);
            return (report, clock.Elapsed.TotalSeconds);
        }

        private static string Ratio(double before, double after) => after <= 0 ? "-" : FormattableString.Invariant($"{before / after:0.00}");
    }
}
