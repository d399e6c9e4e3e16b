using System;
using System.Collections.Generic;
using System.Diagnostics;
using Shootdown.Simulation;

namespace Shootdown.Explorer.Mutation
{
    /// <summary>What exploring one mutant on one descriptor showed.</summary>
    internal enum MutantOutcome
    {
        /// <summary>The bug cannot break the invariant on this descriptor: not explored.</summary>
        NotApplicable,
        /// <summary>A scenario broke the invariant, and its witness replays to a violation.</summary>
        Killed,
        /// <summary>Every scenario that applies explored clean within the bounds.</summary>
        Survived,
        /// <summary>An exploration did not complete (deadlock, hang, step bound): neither killed nor survived.</summary>
        Error,
    }

    /// <summary>One cell of the kill matrix.</summary>
    internal sealed record MutantVerdict(Mutant Mutant, ArchDescriptor Descriptor, MutantOutcome Outcome, string? Scenario,
        string? WitnessId, Schedule? Witness, string? Problem, bool Replays, bool CleanWithoutFault, int Executions, TimeSpan Elapsed)
    {
        /// <summary>The outcome in one word.</summary>
        public string Word => Outcome switch
        {
            MutantOutcome.Killed => "killed",
            MutantOutcome.Survived => "survived",
            MutantOutcome.Error => "error",
            _ => "n/a",
        };

        /// <summary>What the mutation suite wants: a real bug killed where possible, a harmless change never reported.</summary>
        public bool AsExpected => Outcome == MutantOutcome.NotApplicable
            || (Mutant.Kind == MutantKind.Harmless ? Outcome == MutantOutcome.Survived : Outcome == MutantOutcome.Killed && Replays && CleanWithoutFault);

        /// <inheritdoc/>
        public override string ToString() =>
            $"{Mutant.Name} on {Descriptor.Name}: {Word}" + (Scenario is null ? "" : $" by {Scenario}") +
            (WitnessId is null ? "" : $", witness {WitnessId}{(Replays ? "" : " (does not replay)")}{(CleanWithoutFault ? "" : " (violates without the fault too)")}: {Problem}") +
            (Outcome == MutantOutcome.Error ? $": {Problem}" : "") + $", {Executions} executions";
    }

    /// <summary>Runs a mutant through the explorer, the same engine <c>check</c> uses (<see cref="RaceExplorer"/>).</summary>
    internal static class MutationRun
    {
        /// <summary>The bounds of <c>check</c>, stopping at the first violation: a verdict per scenario.</summary>
        public static SearchBounds Bounds { get; } = SearchBounds.Default with { StopAtFirst = true };

        /// <summary>
        /// Explores <paramref name="mutant"/> on <paramref name="d"/>: its expected scenarios first, then every other one
        /// that applies, until one breaks the invariant; <paramref name="onlyExpected"/> stops after the expected ones.
        /// </summary>
        public static MutantVerdict Explore(Mutant mutant, ArchDescriptor d, SearchBounds? bounds = null, bool onlyExpected = false)
        {
            ArgumentNullException.ThrowIfNull(mutant);
            ArgumentNullException.ThrowIfNull(d);
            bounds ??= Bounds;
            var clock = Stopwatch.StartNew();
            if (!mutant.Possible(d)) return new MutantVerdict(mutant, d, MutantOutcome.NotApplicable, null, null, null, null, false, false, 0, clock.Elapsed);
            var subject = mutant.Subject;
            var executions = 0;
            string? error = null;
            foreach (var scenario in Order(mutant, d, onlyExpected))
            {
                var report = RaceExplorer.Explore(scenario, d, subject, bounds);
                executions += report.Executions;
                if (report.Witness is { } witness && report.WitnessSchedule is { } schedule)
                {
                    var replays = RaceExplorer.Replay(scenario, d, subject, schedule).IsViolation;
                    // The same schedule without the fault: the violation must be the fault's doing. Without the fault the
                    // run may take other decisions, so a schedule it cannot follow to the end shows nothing either way.
                    var again = RaceExplorer.Replay(scenario, d, ArchitectureOps.Reference, schedule);
                    var clean = !again.IsViolation || again.IsError;
                    return new MutantVerdict(mutant, d, MutantOutcome.Killed, scenario.Name, report.WitnessId, schedule,
                        witness.FirstProblem, replays, clean, executions, clock.Elapsed);
                }
                if (report.Errors > 0) error ??= $"{scenario.Name}: {report.FirstError!.FirstProblem}";
            }
            return error is null
                ? new MutantVerdict(mutant, d, MutantOutcome.Survived, null, null, null, null, false, true, executions, clock.Elapsed)
                : new MutantVerdict(mutant, d, MutantOutcome.Error, null, null, null, error, false, true, executions, clock.Elapsed);
        }

        // The expected scenarios in their order, then the rest of RaceScenarios.All; only those that apply.
        private static IEnumerable<RaceScenario> Order(Mutant mutant, ArchDescriptor d, bool onlyExpected)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var name in mutant.Scenarios)
            {
                var scenario = RaceScenarios.Find(name) ?? throw new InvalidOperationException($"{mutant.Name} names no scenario '{name}'");
                if (seen.Add(scenario.Name) && scenario.AppliesTo(d)) yield return scenario;
            }
            if (onlyExpected && mutant.Scenarios.Count > 0) yield break;
            foreach (var scenario in RaceScenarios.All)
            {
                if (seen.Add(scenario.Name) && scenario.AppliesTo(d)) yield return scenario;
            }
        }
    }
}
