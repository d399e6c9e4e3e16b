using System;
using System.Collections.Generic;
using Shootdown.Simulation;

namespace Shootdown.Explorer
{
    /// <summary>
    /// One execution of a scenario under one schedule, checked: the machine's violation log during the run, then, after
    /// RCU is drained, every frame accounted for and the scenario's own end checks.
    /// </summary>
    public sealed class Execution
    {
        internal Execution(RunResult run, IReadOnlyList<Violation> violations, IReadOnlyList<string> failures, IReadOnlyList<TraceEvent> trace)
        {
            Run = run;
            Violations = violations;
            Failures = failures;
            Trace = trace;
        }

        /// <summary>The controlled run.</summary>
        public RunResult Run { get; }

        /// <summary>The full schedule taken.</summary>
        public Schedule Schedule => Run.Schedule;

        /// <summary>Decisions taken.</summary>
        public int Decisions => Run.Decisions.Count;

        /// <summary>Scheduling points passed.</summary>
        public int Steps => Run.Steps;

        /// <summary>Broken invariants: during the run, and frames left unaccounted at the end.</summary>
        public IReadOnlyList<Violation> Violations { get; }

        /// <summary>Broken scenario invariants (a mm missing a kernel entry), in words.</summary>
        public IReadOnlyList<string> Failures { get; }

        /// <summary>The run did not complete: deadlock, step bound, a task threw, a hang. A bug of the simulation or scenario.</summary>
        public bool IsError => Run.Outcome is not (RunOutcome.Completed or RunOutcome.Pruned);

        /// <summary>The explorer stopped the run because every way on was equivalent to one explored before.</summary>
        public bool IsPruned => Run.Outcome == RunOutcome.Pruned;

        /// <summary>The invariant broke.</summary>
        public bool IsViolation => Violations.Count > 0 || Failures.Count > 0;

        /// <summary>The events, when the trace was on (run and end checks).</summary>
        public IReadOnlyList<TraceEvent> Trace { get; }

        /// <summary>The first broken invariant in words.</summary>
        public string FirstProblem =>
            Violations.Count > 0 ? Violations[0].ToString()
            : Failures.Count > 0 ? Failures[0]
            : IsError ? $"{Run.Outcome}: {Run.Message}{(Run.Errors.Count > 0 ? " " + Run.Errors[0] : "")}"
            : "";

        /// <summary>
        /// Prepares <paramref name="scenario"/> on <paramref name="descriptor"/> with <paramref name="subject"/>, runs it
        /// under <paramref name="options"/> and checks the end state.
        /// </summary>
        public static Execution Of(RaceScenario scenario, ArchDescriptor descriptor, ArchitectureOps subject, RunOptions options, bool trace = false)
        {
            ArgumentNullException.ThrowIfNull(scenario);
            ArgumentNullException.ThrowIfNull(descriptor);
            ArgumentNullException.ThrowIfNull(subject);
            ArgumentNullException.ThrowIfNull(options);
            subject = scenario.SubjectFor(subject);
            var prep = scenario.Prepare(descriptor, subject);
            var m = prep.Machine;
            m.Faults = subject.Faults; // after the start state is built: only the explored run has the bug
            var before = m.Violations.All.Count;
            if (before > 0) throw new InvalidOperationException($"{scenario.Name}: the start state already broke the invariant: {m.Violations.All[0]}");
            m.Trace.Enabled = trace;
            var run = m.Run(prep.Scenario, options);
            var failures = new List<string>();
            if (run.Outcome is not (RunOutcome.Hung or RunOutcome.Pruned or RunOutcome.UnrecordedAccess))
            {
                // Drain RCU so deferred frees happen, then every frame must be free or owned.
                if (!m.Rcu.Quiesce()) failures.Add("RCU callbacks still pending after draining");
                FrameAccounting.Unaccounted(m, prep.LiveMms(), prep.Owned?.Invoke());
                if (prep.Check != null) failures.AddRange(prep.Check());
            }
            var violations = m.Violations.All;
            return new Execution(run, violations, failures, trace ? m.Trace.Snapshot() : Array.Empty<TraceEvent>());
        }
    }
}
