using System;
using System.Collections.Generic;

namespace Shootdown.Explorer
{
    /// <summary>What an exploration may honestly claim (docs/check-your-architecture.md).</summary>
    public enum VerdictKind
    {
        /// <summary>The systematic search tried every schedule within its bounds and none broke the invariant.</summary>
        Proved,

        /// <summary>Nothing broke, but a cap stopped the search before it was exhausted: no claim either way.</summary>
        Inconclusive,

        /// <summary>A schedule broke the invariant, or an execution did not complete (deadlock, exception, step bound).</summary>
        Violation,
    }

    /// <summary>The three-way verdict of one exploration, and the sentence that says exactly what it claims.</summary>
    /// <param name="Kind">Proved, inconclusive or violation.</param>
    /// <param name="Sentence">What was shown, within which bounds; for inconclusive, which cap and what to raise.</param>
    /// <param name="Cap">What stopped the search short: the cap that was hit (<c>maxSystematic</c>), the sampling
    /// <c>search</c>, or <c>interrupted</c>; null when nothing did.</param>
    public sealed record Verdict(VerdictKind Kind, string Sentence, string? Cap)
    {
        /// <summary>The process exit code of a verdict: 0 proved, 1 violation, 3 inconclusive (0 when allowed).</summary>
        public static int ExitCode(VerdictKind kind, bool allowInconclusive) => kind switch
        {
            VerdictKind.Violation => 1,
            VerdictKind.Inconclusive => allowInconclusive ? 0 : 3,
            _ => 0,
        };

        /// <summary>The lowercase name used on the console and in JSON.</summary>
        public static string Name(VerdictKind kind) => kind switch
        {
            VerdictKind.Proved => "proved",
            VerdictKind.Inconclusive => "inconclusive",
            _ => "violation",
        };

        /// <summary>The name of a search on the console and in JSON: <c>dpor</c>, <c>exhaustive-dfs</c>, <c>random</c>, <c>pct</c>.</summary>
        public static string Name(SearchMode mode) => mode switch
        {
            SearchMode.Dpor => "dpor",
            SearchMode.ExhaustiveDfs => "exhaustive-dfs",
            SearchMode.Random => "random",
            _ => "pct",
        };

        /// <summary>The worst of <paramref name="kinds"/>: a violation beats inconclusive beats proved; proved when empty.</summary>
        public static VerdictKind Worst(IEnumerable<VerdictKind> kinds)
        {
            ArgumentNullException.ThrowIfNull(kinds);
            var worst = VerdictKind.Proved;
            foreach (var k in kinds)
            {
                if (k > worst) worst = k;
            }
            return worst;
        }

        private static string Invariant(FormattableString text) => FormattableString.Invariant(text);

        /// <summary>The verdict of <paramref name="report"/>.</summary>
        public static Verdict Of(ExplorationReport report)
        {
            ArgumentNullException.ThrowIfNull(report);
            var b = report.Bounds;
            var name = $"{report.Scenario.Name} on {report.Subject}";
            if (report.Witness is { } w)
                return new Verdict(VerdictKind.Violation, $"violation: {name}: {w.FirstProblem}", null);
            if (report.Errors > 0)
                return new Verdict(VerdictKind.Violation, $"violation: {name}: an execution did not complete: {report.FirstError?.FirstProblem}", null);
            var plural = b.Preemptions == 1 ? "" : "s";
            var scope = b.Search switch
            {
                SearchMode.Dpor when b.Unbounded => Invariant($"every interleaving of at most {b.MaxSteps} steps, up to the order of steps that touch nothing in common (DPOR with sleep sets, no preemption bound)"),
                SearchMode.Dpor => Invariant($"every schedule with at most {b.Preemptions} preemption{plural} and {b.MaxSteps} steps, up to the order of steps that touch nothing in common (bounded DPOR)"),
                _ => Invariant($"every schedule with at most {b.Preemptions} preemption{plural} and {b.MaxSteps} steps"),
            };
            if (report.Interrupted && !report.Exhausted)
                return new Verdict(VerdictKind.Inconclusive, Invariant($"inconclusive: {name}: interrupted after {report.Executions} executions ({report.Systematic} systematic, {report.Random} random, {report.Pct} PCT), none broke the invariant, before covering {scope}; run it again to the end"), "interrupted");
            if (b.Search is SearchMode.Random or SearchMode.Pct)
                return new Verdict(VerdictKind.Inconclusive, Invariant($"inconclusive: {name}: {report.Executions} {Verdict.Name(b.Search)} executions kept the invariant, but a sampling search proves nothing; run --search dpor for a proof"), "search");
            if (!report.Exhausted)
            {
                var raise = b.Search == SearchMode.Dpor && b.Unbounded ? "raise --max-executions (SearchBounds.MaxSystematic) or set a preemption bound" : "raise --max-executions (SearchBounds.MaxSystematic) or lower --preemptions";
                return new Verdict(VerdictKind.Inconclusive, Invariant($"inconclusive: {name}: the systematic search stopped at its cap of {b.MaxSystematic} executions ({report.Executions} run in all, none broke the invariant) before covering {scope}; {raise}"), "maxSystematic");
            }
            var pruned = report.Pruned > 0 ? Invariant($", {report.Pruned} cut short as equivalent to one explored") : "";
            return new Verdict(VerdictKind.Proved, Invariant($"proved: {name}: {scope} keeps the invariant ({report.Systematic} systematic executions{pruned}, search exhausted; sequentially consistent memory)"), null);
        }
    }
}
