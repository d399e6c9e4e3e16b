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
        public static IEnumerable<RunResult> Exhaustive(Func<(Machine Machine, Scenario Scenario)> build, int maxRuns, int maxSteps = 10_000)
        {
            if (build is null) throw new ArgumentNullException(nameof(build));
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
                for (var i = result.Decisions.Count - 1; i >= prefix.Count; i--)
                {
                    var d = result.Decisions[i];
                    var branch = result.Schedule.Prefix(i);
                    foreach (var option in d.Options)
                    {
                        if (option != d.Chosen) todo.Push(branch.Then(option));
                    }
                }
                yield return result;
            }
        }
    }
}
