using System;
using System.Collections.Generic;
using System.Text;

namespace Shootdown.Simulation
{
    /// <summary>How a run ended.</summary>
    public enum RunOutcome
    {
        /// <summary>Every task finished.</summary>
        Completed,
        /// <summary>Every unfinished task waits for something that no runnable CPU can bring about.</summary>
        Deadlock,
        /// <summary>The step bound was reached.</summary>
        StepLimit,
        /// <summary>The schedule named a CPU that could not move at that decision.</summary>
        InvalidSchedule,
        /// <summary>A task threw: see <see cref="RunResult.Errors"/>.</summary>
        TaskFailed,
        /// <summary>A task blocked outside the scheduler (a real lock) or a free-running run overran its time.</summary>
        Hung,
        /// <summary>
        /// The explorer stopped the run: every CPU that could move was asleep (partial-order reduction), so each way on
        /// is equivalent to a schedule explored before. Not an error and not checked.
        /// </summary>
        Pruned,
        /// <summary>
        /// With <see cref="RunOptions.AuditAccesses"/>: a step changed shared state it did not record a write to, so the
        /// explorer's dependency relation would miss it (<see cref="RunResult.Message"/> names the change).
        /// </summary>
        UnrecordedAccess,
    }

    /// <summary>One decision of a controlled run: the CPU chosen and the CPUs that could have been.</summary>
    /// <param name="Chosen">The CPU that moved.</param>
    /// <param name="Options">The runnable CPUs, ascending (at least two).</param>
    public readonly record struct Decision(int Chosen, IReadOnlyList<int> Options)
    {
        /// <summary>
        /// True when choosing <paramref name="cpu"/> at decision <paramref name="index"/> of <paramref name="path"/> is a
        /// preemption: the one definition every bounded search counts. It is a switch away from the CPU chosen at the
        /// previous decision while that CPU could still move; switches forced by a CPU that waits or ends cost nothing,
        /// and neither do the steps of a CPU that ran alone in between (an IPI handler, a CPU finishing its task).
        /// </summary>
        public static bool Preempts(IReadOnlyList<Decision> path, int index, int cpu)
        {
            if (path is null) throw new ArgumentNullException(nameof(path));
            if (index <= 0) return false;
            var previous = path[index - 1].Chosen;
            return cpu != previous && Contains(path[index].Options, previous);
        }

        internal static bool Contains(IReadOnlyList<int> options, int cpu)
        {
            foreach (var o in options)
            {
                if (o == cpu) return true;
            }
            return false;
        }
    }

    /// <summary>What a run did: how it ended, the decisions, the trace and the violations.</summary>
    public sealed class RunResult
    {
        internal RunResult(RunOutcome outcome, string message, IReadOnlyList<Decision> decisions, int steps,
            IReadOnlyList<TraceEvent> trace, IReadOnlyList<Violation> violations, IReadOnlyList<Exception> errors)
        {
            Outcome = outcome;
            Message = message;
            Decisions = decisions;
            Steps = steps;
            Trace = trace;
            Violations = violations;
            Errors = errors;
            var chosen = new int[decisions.Count];
            for (var i = 0; i < chosen.Length; i++) chosen[i] = decisions[i].Chosen;
            Schedule = new Schedule(chosen);
        }

        /// <summary>How the run ended.</summary>
        public RunOutcome Outcome { get; }
        /// <summary>Why, in words (empty when it completed).</summary>
        public string Message { get; }
        /// <summary>Every decision, in order.</summary>
        public IReadOnlyList<Decision> Decisions { get; }
        /// <summary>The decisions as a replayable schedule.</summary>
        public Schedule Schedule { get; }
        /// <summary>Scheduling points passed.</summary>
        public int Steps { get; }
        /// <summary>The events recorded during the run (empty unless the trace was enabled).</summary>
        public IReadOnlyList<TraceEvent> Trace { get; }
        /// <summary>Violations recorded during the run.</summary>
        public IReadOnlyList<Violation> Violations { get; }
        /// <summary>Exceptions thrown by tasks.</summary>
        public IReadOnlyList<Exception> Errors { get; }

        /// <summary>Completed with no violation.</summary>
        public bool Clean => Outcome == RunOutcome.Completed && Violations.Count == 0;

        /// <summary>The trace, one event a line.</summary>
        public string TraceText()
        {
            var b = new StringBuilder();
            foreach (var e in Trace) b.AppendLine(e.ToString());
            return b.ToString();
        }

        /// <inheritdoc/>
        public override string ToString() =>
            $"{Outcome} after {Steps} steps, {Decisions.Count} decisions [{Schedule}], {Violations.Count} violations" +
            (Message.Length > 0 ? ": " + Message : "");
    }
}
