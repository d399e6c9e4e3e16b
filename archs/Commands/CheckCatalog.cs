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
            "arch; scenario; code (generated or reference); executions run (systematic + random + PCT); " +
            "s: wall time of that exploration; pruned: DPOR executions stopped early, every CPU that could move asleep (each equivalent to one run)";

        /// <summary>
        /// Checks <paramref name="targets"/>, <paramref name="jobs"/> explorations at a time (0: one per core; the rows and
        /// verdicts do not depend on it); the exit code of the worst verdict (<see cref="Verdict.ExitCode"/>).
        /// </summary>
        public static int Run(IReadOnlyList<ArchitectureOps> targets, SearchBounds bounds, bool json, bool allowInconclusive,
            CancellationToken cancel, TextWriter output, TextWriter error, int jobs = 0)
        {
            var results = new List<object>();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var subjects = new List<(ArchDescriptor, ArchitectureOps)>();
            foreach (var target in targets)
            {
                subjects.Add((target.Descriptor, target));
                subjects.Add((target.Descriptor, ArchitectureOps.Reference));
            }
            var total = 0;
            foreach (var s in RaceScenarios.All)
            {
                foreach (var t in targets)
                {
                    if (RaceCheck.Explores(s, t.Descriptor, t)) total++;
                    if (RaceCheck.Explores(s, t.Descriptor, ArchitectureOps.Reference)) total++;
                }
            }
            if (!json) output.WriteLine(Legend);
            IReadOnlyList<RaceCheckResult> checks = Array.Empty<RaceCheckResult>();
            ProgressView.Run(total, output, error, progress =>
            {
                var options = new RaceCheckOptions
                {
                    Bounds = bounds,
                    Cancellation = cancel,
                    Parallelism = jobs,
                    OnExplored = done =>
                    {
                        progress.Advance(done.Index + 1, $"{done.Descriptor.Name} {done.Verdict.Scenario} ({done.Subject.Name})", json ? null : Row(done));
                    },
                };
                checks = RaceCheck.Run(subjects, options);
            });
            foreach (var c in checks)
            {
                foreach (var s in c.Scenarios) results.Add(JsonRow(c.Descriptor, c.Subject, s));
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

        // The table row of one exploration.
        private static string Row(ExplorationDone done)
        {
            var s = done.Verdict;
            var r = s.Report;
            return $"{Verdict.Name(s.Verdict.Kind),-12} {done.Descriptor.Name,-16} {s.Scenario,-34} {(done.Subject.IsGenerated ? "generated" : "reference"),-9} {r.Executions,6} executions {r.Elapsed.TotalSeconds,6:0.00} s" +
                (r.Pruned > 0 ? $" ({r.Pruned} pruned)" : "") +
                (s.Verdict.Kind == VerdictKind.Proved ? "" : $"\n       {s.Verdict.Sentence}{(s.WitnessId is null ? "" : $"; replay: {s.WitnessId}")}");
        }

        // The JSON object of one exploration.
        private static object JsonRow(ArchDescriptor descriptor, ArchitectureOps subject, ScenarioVerdict s)
        {
            var r = s.Report;
            return new
            {
                arch = descriptor.Name,
                code = subject.IsGenerated ? "generated" : "reference",
                scenario = s.Scenario,
                verdict = Verdict.Name(s.Verdict.Kind),
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
            };
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
                    (interrupted ? $", {total - ran} not run" : "") + (b.Search == SearchMode.Dpor && b.Unbounded
                        ? " (without a bound, nested gathers and munmap beside MADV_DONTNEED, and shift_arg_pages where the flush waits for IPIs, " +
                          "do not exhaust within 100 000 executions: docs/explorer.md, Unbounded mode; drop --unbounded for the bounded proof, or raise --max-executions; --allow-inconclusive to exit 0)"
                        : " (raise --max-executions or lower --preemptions; --allow-inconclusive to exit 0)"),
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
