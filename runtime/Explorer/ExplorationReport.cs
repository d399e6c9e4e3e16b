using System;
using Shootdown.Simulation;

namespace Shootdown.Explorer
{
    /// <summary>What exploring one scenario on one descriptor with one subject found.</summary>
    public sealed class ExplorationReport
    {
        internal ExplorationReport(RaceScenario scenario, ArchDescriptor descriptor, ArchitectureOps subject, SearchBounds bounds)
        {
            Scenario = scenario;
            Descriptor = descriptor;
            Subject = subject;
            Bounds = bounds;
        }

        /// <summary>The scenario.</summary>
        public RaceScenario Scenario { get; }

        /// <summary>The descriptor the machine was built for.</summary>
        public ArchDescriptor Descriptor { get; }

        /// <summary>The code under test.</summary>
        public ArchitectureOps Subject { get; }

        /// <summary>The bounds searched.</summary>
        public SearchBounds Bounds { get; }

        /// <summary>Executions in all.</summary>
        public int Executions => Systematic + Random + Pct;

        /// <summary>Executions of the preemption-bounded systematic search.</summary>
        public int Systematic { get; internal set; }

        /// <summary>Seeded random executions.</summary>
        public int Random { get; internal set; }

        /// <summary>PCT executions (each schedule that was run to build a PCT schedule counts).</summary>
        public int Pct { get; internal set; }

        /// <summary>The systematic search tried every schedule within the preemption bound.</summary>
        public bool Exhausted { get; internal set; }

        /// <summary>A cancellation stopped the search between two executions: what ran is counted, nothing more is claimed.</summary>
        public bool Interrupted { get; internal set; }

        /// <summary>DPOR runs stopped early because every CPU that could move was asleep (each equivalent to one explored).</summary>
        public int Pruned { get; internal set; }

        /// <summary>DPOR backtrack points not taken because the CPU was in the sleep set there.</summary>
        public int SleepSkips { get; internal set; }

        /// <summary>Bounded DPOR left a branch unexplored because it exceeded the preemption bound.</summary>
        public bool BoundCut { get; internal set; }

        /// <summary>The search in words: <c>dpor (unbounded)</c>, <c>dpor (bound 2)</c>, <c>exhaustive-dfs (bound 2)</c>, ...</summary>
        public string Mode => Bounds.Search switch
        {
            SearchMode.Dpor => Bounds.Unbounded ? "dpor (unbounded)" : $"dpor (bound {Bounds.Preemptions})",
            SearchMode.ExhaustiveDfs => $"exhaustive-dfs (bound {Bounds.Preemptions})",
            SearchMode.Random => "random",
            _ => "pct",
        };

        /// <summary>Executions that broke the invariant.</summary>
        public int Violating { get; internal set; }

        /// <summary>Executions that did not complete (deadlock, step bound, exception, hang).</summary>
        public int Errors { get; internal set; }

        /// <summary>The shortest violating execution found (fewest decisions, then fewest steps), or null.</summary>
        public Execution? Witness { get; internal set; }

        /// <summary>The shortest schedule that replays <see cref="Witness"/>: its decisions up to the last one the default policy would not take.</summary>
        public Schedule? WitnessSchedule { get; internal set; }

        /// <summary>The first execution that did not complete, or null.</summary>
        public Execution? FirstError { get; internal set; }

        /// <summary>Wall-clock time spent.</summary>
        public TimeSpan Elapsed { get; internal set; }

        /// <summary>The replay id of the witness, or null.</summary>
        public string? WitnessId => WitnessSchedule is null ? null : new ReplayId(Scenario.Name, DescriptorId.Encode(Descriptor), WitnessSchedule, Subject.IsGenerated, Mutation.Mutants.NamesOf(Subject.Faults)).ToString();

        /// <summary>Proved, inconclusive or violation, with the sentence that says what was shown.</summary>
        public Verdict Verdict => Verdict.Of(this);

        /// <summary>Nothing broke and nothing failed within the bounds.</summary>
        public bool Clean => Witness is null && Errors == 0;

        /// <inheritdoc/>
        public override string ToString() =>
            $"{Scenario.Name} on {Subject}: {Mode}, {Executions} executions{(Interrupted ? " (interrupted)" : "")} ({Systematic} systematic{(Exhausted ? ", exhausted" : "")}{(Pruned > 0 ? $", {Pruned} pruned" : "")}, {Random} random, {Pct} PCT), " +
            (Witness is null ? "no violation" : $"{Violating} violating, witness {WitnessId}: {Witness.FirstProblem}") +
            (Errors > 0 ? $", {Errors} errors: {FirstError!.FirstProblem}" : "");
    }
}
