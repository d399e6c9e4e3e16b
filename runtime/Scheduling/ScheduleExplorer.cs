using System;
using System.Collections.Generic;

namespace Shootdown.Simulation
{
    /// <summary>
    /// Systematic exploration: depth-first over every decision of a controlled run, each run on a fresh machine, so every
    /// interleaving of the scenario's scheduling points is tried once (up to a bound on runs).
    /// </summary>
    public static class ScheduleExplorer
    {
        /// <summary>
        /// Runs <paramref name="build"/>'s scenario under every schedule, at most <paramref name="maxRuns"/> times, and
        /// yields each result. <paramref name="build"/> must make the same machine state every time.
        /// </summary>
        public static IEnumerable<RunResult> Exhaustive(Func<(Machine Machine, Scenario Scenario)> build, int maxRuns, int maxSteps = 10_000) =>
            PreemptionBounded(build, int.MaxValue, maxRuns, maxSteps);

        /// <summary>
        /// Like <see cref="Exhaustive"/>, but only schedules with at most <paramref name="maxPreemptions"/> preemptions (a
        /// CPU that could have gone on is switched away from), in the manner of CHESS's context bounding: most races show
        /// with one or two preemptions, and the number of schedules grows polynomially instead of exponentially. Switches
        /// forced by a CPU that waits or ends cost nothing, so a blocked IPI sender or an RCU waiter is always followed.
        /// </summary>
        public static IEnumerable<RunResult> PreemptionBounded(Func<(Machine Machine, Scenario Scenario)> build, int maxPreemptions, int maxRuns, int maxSteps = 10_000)
        {
            if (build is null) throw new ArgumentNullException(nameof(build));
            if (maxPreemptions < 0) throw new ArgumentOutOfRangeException(nameof(maxPreemptions), maxPreemptions, "must not be negative");
            if (maxRuns < 1) throw new ArgumentOutOfRangeException(nameof(maxRuns), maxRuns, "must be positive");
            var todo = new Stack<Schedule>();
            todo.Push(Schedule.Empty);
            var runs = 0;
            while (todo.Count > 0 && runs < maxRuns)
            {
                var prefix = todo.Pop();
                var (machine, scenario) = build();
                var result = machine.Run(scenario, new RunOptions(prefix, MaxSteps: maxSteps));
                runs++;
                var before = new int[result.Decisions.Count + 1];
                for (var i = 0; i < result.Decisions.Count; i++) before[i + 1] = before[i] + (Decision.Preempts(result.Decisions, i, result.Decisions[i].Chosen) ? 1 : 0);
                for (var i = result.Decisions.Count - 1; i >= prefix.Count; i--)
                {
                    var d = result.Decisions[i];
                    var branch = result.Schedule.Prefix(i);
                    foreach (var option in d.Options)
                    {
                        if (option == d.Chosen) continue;
                        if (before[i] + (Decision.Preempts(result.Decisions, i, option) ? 1 : 0) <= maxPreemptions) todo.Push(branch.Then(option));
                    }
                }
                yield return result;
            }
        }
    }
}
