using Shootdown.Simulation;
using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Shootdown.Explorer
{
    /// <summary>The explorer's verdict on one descriptor next to the rules'.</summary>
    /// <param name="Descriptor">The descriptor.</param>
    /// <param name="RaceRules">The race rules <see cref="DescriptorRules.Check"/> reports (empty when the rules call it safe).</param>
    /// <param name="WitnessId">The replay id of the first violation found, or null.</param>
    /// <param name="Problem">What broke, in words, or null.</param>
    /// <param name="Executions">Executions run.</param>
    /// <param name="Exhausted">Every applicable scenario's systematic search finished within its bounds (or a violation ended it).</param>
    /// <param name="Error">The first execution that did not complete, in words, or null.</param>
    public sealed record DescriptorVerdict(ArchDescriptor Descriptor, IReadOnlyList<string> RaceRules, string? WitnessId, string? Problem,
        int Executions, bool Exhausted, string? Error)
    {
        /// <summary><see cref="DescriptorRules.IsUnsafe"/>.</summary>
        public bool RulesUnsafe => RaceRules.Count > 0;

        /// <summary>The explorer found a schedule that breaks the invariant.</summary>
        public bool Found => WitnessId != null;

        /// <summary>The two agree and nothing failed to run.</summary>
        public bool Agrees => RulesUnsafe == Found && Error == null;
    }

    /// <summary>The agreement over a descriptor space: the confusion table of rules against explorer.</summary>
    public sealed class AgreementReport
    {
        internal AgreementReport(IReadOnlyList<DescriptorVerdict> verdicts, TimeSpan elapsed, SearchBounds bounds)
        {
            Verdicts = verdicts;
            Elapsed = elapsed;
            Bounds = bounds;
            foreach (var v in verdicts)
            {
                Executions += v.Executions;
                if (v.Error != null) Errors++;
                if (v.RulesUnsafe && v.Found) TruePositives++;
                else if (!v.RulesUnsafe && v.Found) FalsePositives++;
                else if (v.RulesUnsafe) FalseNegatives++;
                else TrueNegatives++;
            }
        }

        /// <summary>Each descriptor's verdict, in space order.</summary>
        public IReadOnlyList<DescriptorVerdict> Verdicts { get; }

        /// <summary>Rules unsafe, explorer found a violation.</summary>
        public int TruePositives { get; }
        /// <summary>Rules safe, explorer found a violation.</summary>
        public int FalsePositives { get; }
        /// <summary>Rules unsafe, explorer found none within its bounds.</summary>
        public int FalseNegatives { get; }
        /// <summary>Rules safe, explorer found none.</summary>
        public int TrueNegatives { get; }
        /// <summary>Descriptors where an execution did not complete.</summary>
        public int Errors { get; }
        /// <summary>Executions in all.</summary>
        public int Executions { get; }
        /// <summary>Wall-clock time.</summary>
        public TimeSpan Elapsed { get; }
        /// <summary>The bounds used per scenario.</summary>
        public SearchBounds Bounds { get; }

        /// <summary>Rules and explorer agree on every descriptor and every execution completed.</summary>
        public bool Agrees => FalsePositives == 0 && FalseNegatives == 0 && Errors == 0;

        /// <summary>The confusion table with percentages of the whole space.</summary>
        public string Table()
        {
            var n = Math.Max(1, Verdicts.Count);
            string Cell(int count) => $"{count,5} ({100.0 * count / n,5:0.0}%)";
            var b = new StringBuilder();
            b.AppendLine(CultureInfo.InvariantCulture, $"{Verdicts.Count} valid descriptors; explorer vs DescriptorRules.IsUnsafe");
            b.AppendLine("                      explorer: violation   explorer: none");
            b.AppendLine(CultureInfo.InvariantCulture, $"  rules: unsafe        TP {Cell(TruePositives)}     FN {Cell(FalseNegatives)}");
            b.AppendLine(CultureInfo.InvariantCulture, $"  rules: safe          FP {Cell(FalsePositives)}     TN {Cell(TrueNegatives)}");
            b.AppendLine(CultureInfo.InvariantCulture, $"  agreement {100.0 * (TruePositives + TrueNegatives) / n:0.00}%, {Errors} with errors, {Executions} executions in {Elapsed.TotalSeconds:0.0} s ({Executions / Math.Max(0.001, Elapsed.TotalSeconds):0} per second)");
            return b.ToString();
        }
    }

    /// <summary>Runs every applicable scenario on every descriptor of a space with the reference, and compares with the rules.</summary>
    public static class Agreement
    {
        /// <summary>
        /// Explores each descriptor of <paramref name="space"/> until a violation is found or every scenario is exhausted,
        /// <paramref name="parallelism"/> descriptors at a time; <paramref name="progress"/> gets (done, total).
        /// </summary>
        public static AgreementReport Run(IReadOnlyList<ArchDescriptor> space, SearchBounds? bounds = null, int parallelism = 0,
            Action<int, int>? progress = null)
        {
            ArgumentNullException.ThrowIfNull(space);
            bounds = (bounds ?? SearchBounds.Verdict) with { StopAtFirst = true };
            bounds.Validate();
            var verdicts = new DescriptorVerdict[space.Count];
            var cache = new ConcurrentDictionary<string, Lazy<ExplorationReport>>();
            var done = 0;
            var clock = Stopwatch.StartNew();
            var options = new ParallelOptions { MaxDegreeOfParallelism = parallelism > 0 ? parallelism : Environment.ProcessorCount };
            Parallel.For(0, space.Count, options, i =>
            {
                verdicts[i] = Judge(space[i], bounds, cache);
                progress?.Invoke(Interlocked.Increment(ref done), space.Count);
            });
            return new AgreementReport(verdicts, clock.Elapsed, bounds);
        }

        /// <summary>The explorer's verdict on <paramref name="d"/> (reference gather and fast GUP) next to the rules'.</summary>
        public static DescriptorVerdict Judge(ArchDescriptor d, SearchBounds bounds) => Judge(d, bounds with { StopAtFirst = true }, null);

        // With a cache, each scenario is explored once per projection (RaceScenario.Project): descriptors that project
        // alike have the same executions, so they share the exploration and each gets the witness under its own id.
        private static DescriptorVerdict Judge(ArchDescriptor d, SearchBounds bounds, ConcurrentDictionary<string, Lazy<ExplorationReport>>? cache)
        {
            ArgumentNullException.ThrowIfNull(d);
            var rules = new List<string>();
            foreach (var f in DescriptorRules.Check(d))
            {
                if (f.Rule.IsRace) rules.Add(f.Id);
            }
            var executions = 0;
            var exhausted = true;
            string? error = null;
            foreach (var scenario in RaceScenarios.All)
            {
                if (!scenario.AppliesTo(d) || scenario.Era != null) continue; // the rules judge d in its own era
                ExplorationReport report;
                var shared = false;
                if (cache is null)
                {
                    report = RaceExplorer.Explore(scenario, d, ArchitectureOps.Reference, bounds);
                }
                else
                {
                    var projected = scenario.Project(d);
                    var fresh = new Lazy<ExplorationReport>(() => RaceExplorer.Explore(scenario, projected, ArchitectureOps.Reference, bounds), LazyThreadSafetyMode.ExecutionAndPublication);
                    var entry = cache.GetOrAdd(scenario.Name + ":" + DescriptorId.Encode(projected), fresh);
                    shared = !ReferenceEquals(entry, fresh);
                    report = entry.Value;
                }
                if (!shared) executions += report.Executions;
                error ??= report.FirstError is { } e ? $"{scenario.Name}: {e.FirstProblem}" : null;
                if (report.Witness != null)
                    return new DescriptorVerdict(d, rules, new ReplayId(scenario.Name, DescriptorId.Encode(d), report.WitnessSchedule ?? report.Witness.Schedule).ToString(),
                        report.Witness.FirstProblem, executions, exhausted, error);
                exhausted &= report.Exhausted;
            }
            return new DescriptorVerdict(d, rules, null, null, executions, exhausted, error);
        }
    }
}
