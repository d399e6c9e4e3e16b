using System;
using System.Collections.Generic;
using System.Linq;
using Shootdown.Simulation;

namespace Shootdown.Runtime.Tests.Kernel
{
    /// <summary>Bounded systematic exploration for the tests: every schedule up to a preemption bound, checked complete.</summary>
    internal static class Explore
    {
        /// <summary>
        /// Every schedule of <paramref name="build"/>'s scenario with at most <paramref name="preemptions"/> preemptions;
        /// fails if <paramref name="maxRuns"/> cut the exploration short or a run did not complete.
        /// </summary>
        public static List<RunResult> All(Func<(Machine, Scenario)> build, int preemptions, int maxRuns = 20_000)
        {
            var results = ScheduleExplorer.PreemptionBounded(build, preemptions, maxRuns).ToList();
            Assert.True(results.Count < maxRuns, $"the exploration stopped at {maxRuns} runs before covering every schedule");
            foreach (var r in results)
                Assert.True(r.Outcome == RunOutcome.Completed, $"{r.Outcome} [{r.Schedule}]: {r.Message} {string.Join("; ", r.Errors)}");
            return results;
        }

        /// <summary>
        /// True when <paramref name="walker"/> read page tables after <paramref name="sender"/> posted it an IPI and before
        /// it took that IPI: the sender's wait was held off by the walker's interrupts-off section.
        /// </summary>
        public static bool WalkedWhileIpiPending(RunResult r, int sender, int walker)
        {
            var pending = false;
            foreach (var e in r.Trace)
            {
                if (e.Kind == EventKind.IpiSent && e.Cpu == sender && e.A == (ulong)walker) pending = true;
                else if (e.Kind == EventKind.IpiTaken && e.Cpu == walker) pending = false;
                else if (pending && e.Kind == EventKind.WalkerRead && e.Cpu == walker) return true;
            }
            return false;
        }

        /// <summary>Describes the violations of a run with its schedule, for assertion messages.</summary>
        public static string Describe(RunResult r) => $"[{r.Schedule}] " + string.Join("; ", r.Violations);
    }
}
