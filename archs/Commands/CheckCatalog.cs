using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using System.Threading;
using Shootdown.Explorer;
using Shootdown.Simulation;

namespace Shootdown.Archs.Commands
{
    /// <summary>
    /// <c>check [ARCH...]</c> and <c>check --assembly</c>: every applicable scenario on each architecture, with its generated
    /// code and with the reference, each with a three-way verdict (docs/check-your-architecture.md).
    /// </summary>
    public static class CheckCatalog
    {
        /// <summary>What each column of the table counts.</summary>
        public const string Legend =
            "verdict: proved (every schedule within the bounds tried) | inconclusive (a cap stopped the search) | violation; " +
            "arch; scenario; code (generated or reference); executions run (systematic + random + PCT)";

        /// <summary>Checks <paramref name="targets"/>; the exit code of the worst verdict (<see cref="Verdict.ExitCode"/>).</summary>
        public static int Run(IReadOnlyList<ArchitectureOps> targets, SearchBounds bounds, bool json, bool allowInconclusive,
            CancellationToken cancel, TextWriter output, TextWriter error)
        {
            var results = new List<object>();
            var checks = new List<RaceCheckResult>();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var total = 0;
            foreach (var s in RaceScenarios.All)
            {
                foreach (var t in targets) total += s.AppliesTo(t.Descriptor) ? 2 : 0;
            }
            var done = 0;
            if (!json) output.WriteLine(Legend);
            foreach (var target in targets)
            {
                foreach (var subject in new[] { target, ArchitectureOps.Reference })
                {
                    var options = new RaceCheckOptions
                    {
                        Bounds = bounds,
                        Cancellation = cancel,
                        OnExploring = (scenario, _) =>
                        {
                            done++;
                            var eta = done > 1 ? TimeSpan.FromSeconds(clock.Elapsed.TotalSeconds / (done - 1) * (total - done + 1)) : (TimeSpan?)null;
                            error.Write($"\r[{done}/{total}{(eta is { } e ? $", ~{e.TotalSeconds:0} s left" : "")}] {target.Name} {scenario.Name} ({subject.Name})...".PadRight(78));
                        },
                    };
                    var check = RaceCheck.Run(target.Descriptor, subject, options);
                    error.Write("\r" + new string(' ', 78) + "\r");
                    checks.Add(check);
                    foreach (var s in check.Scenarios)
                    {
                        var r = s.Report;
                        var kind = Verdict.Name(s.Verdict.Kind);
                        if (!json)
                        {
                            output.WriteLine($"{kind,-12} {target.Name,-16} {s.Scenario,-34} {(subject.IsGenerated ? "generated" : "reference"),-9} {r.Executions,6} executions {r.Elapsed.TotalSeconds,6:0.00} s" +
                                (r.Pruned > 0 ? $" ({r.Pruned} pruned)" : "") +
                                (s.Verdict.Kind == VerdictKind.Proved ? "" : $"\n       {s.Verdict.Sentence}{(s.WitnessId is null ? "" : $"; replay: {s.WitnessId}")}"));
                        }
                        results.Add(new
                        {
                            arch = target.Name,
                            code = subject.IsGenerated ? "generated" : "reference",
                            scenario = s.Scenario,
                            verdict = kind,
                            sentence = s.Verdict.Sentence,
                            cap = s.Verdict.Cap,
                            mode = r.Mode,
                            bound = r.Bounds.Search == SearchMode.Dpor && r.Bounds.Unbounded ? (int?)null : r.Bounds.Preemptions,
                            exhausted = r.Exhausted,
                            executions = r.Executions,
                            pruned = r.Pruned,
                            sleepSkips = r.SleepSkips,
                            systematic = r.Systematic,
                            random = r.Random,
                            pct = r.Pct,
                            violating = r.Violating,
                            errors = r.Errors,
                            witness = s.WitnessId,
                            seconds = r.Elapsed.TotalSeconds,
                        });
                    }
                    if (check.Interrupted) break;
                }
                if (cancel.IsCancellationRequested) break;
            }
            var kinds = new List<VerdictKind>();
            var interrupted = cancel.IsCancellationRequested;
            int executions = 0, proved = 0, inconclusive = 0, violations = 0;
            foreach (var c in checks)
            {
                executions += c.Executions;
                foreach (var s in c.Scenarios)
                {
                    kinds.Add(s.Verdict.Kind);
                    if (s.Verdict.Kind == VerdictKind.Proved) proved++;
                    else if (s.Verdict.Kind == VerdictKind.Inconclusive) inconclusive++;
                    else violations++;
                }
            }
            var worst = Verdict.Worst(kinds);
            if (worst == VerdictKind.Proved && interrupted) worst = VerdictKind.Inconclusive;
            var sentence = Sentence(worst, results.Count, total, proved, inconclusive, violations, executions, clock.Elapsed, bounds, interrupted);
            if (json)
            {
                output.WriteLine(JsonSerializer.Serialize(new
                {
                    verdict = Verdict.Name(worst),
                    sentence,
                    interrupted,
                    bounds = new { bounds.Preemptions, bounds.MaxSystematic, bounds.MaxSteps, bounds.Random, bounds.Pct, bounds.PctDepth, bounds.Seed },
                    explorations = results.Count,
                    proved,
                    inconclusive,
                    violations,
                    executions,
                    seconds = clock.Elapsed.TotalSeconds,
                    results,
                }, Json.Options));
            }
            else output.WriteLine(sentence);
            return interrupted ? Program.Interrupted : Verdict.ExitCode(worst, allowInconclusive);
        }

        private static string Sentence(VerdictKind worst, int ran, int total, int proved, int inconclusive, int violations, int executions,
            TimeSpan elapsed, SearchBounds b, bool interrupted)
        {
            var head = $"{ran} explorations{(interrupted ? $" of {total} (interrupted)" : "")}, {executions} executions in {elapsed.TotalSeconds:0.0} s " +
                $"({Mode(b)}, {b.MaxSteps} steps, cap {b.MaxSystematic} systematic executions, {b.Random} random and {b.Pct} PCT runs each): ";
            return worst switch
            {
                VerdictKind.Violation => head + $"violation: {violations} broke the invariant (replay with check --replay ID)" +
                    (inconclusive > 0 ? $", {inconclusive} inconclusive" : ""),
                VerdictKind.Inconclusive => head + $"inconclusive: {proved} proved, {inconclusive} stopped at a cap before exhausting the bound" +
                    (interrupted ? $", {total - ran} not run" : "") + " (raise --max-executions or lower --preemptions; --allow-inconclusive to exit 0)",
                _ => head + (b.Search == SearchMode.Dpor && b.Unbounded
                    ? "proved: in every scenario, no interleaving breaks the invariant (sequentially consistent memory)"
                    : $"proved: in every scenario, no schedule with at most {b.Preemptions} preemptions breaks the invariant (sequentially consistent memory)"),
            };
        }

        private static string Mode(SearchBounds b) => b.Search switch
        {
            SearchMode.Dpor when b.Unbounded => "dpor, no preemption bound",
            SearchMode.Dpor => $"dpor, preemption bound {b.Preemptions}",
            SearchMode.ExhaustiveDfs => $"exhaustive-dfs, preemption bound {b.Preemptions}",
            _ => Verdict.Name(b.Search) + " only",
        };
    }

    /// <summary>The tool's JSON: camelCase keys throughout, indented.</summary>
    public static class Json
    {
        /// <summary>The serializer options every command uses.</summary>
        public static JsonSerializerOptions Options { get; } = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
    }
}
