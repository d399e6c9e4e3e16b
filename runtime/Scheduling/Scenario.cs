using System;
using System.Collections.Generic;

namespace Shootdown.Simulation
{
    /// <summary>What each CPU does in a run: at most one action per CPU, each running as that CPU's task.</summary>
    public sealed class Scenario
    {
        private readonly SortedDictionary<int, Action<Cpu>> _actions = new();

        /// <summary>CPU <paramref name="cpu"/> runs <paramref name="action"/>.</summary>
        public Scenario On(int cpu, Action<Cpu> action)
        {
            if (cpu < 0 || cpu > 63) throw new ArgumentOutOfRangeException(nameof(cpu), cpu, "a CPU id is 0 to 63");
            if (action is null) throw new ArgumentNullException(nameof(action));
            if (_actions.ContainsKey(cpu)) throw new ArgumentException($"cpu{cpu} already has an action in this scenario", nameof(cpu));
            _actions.Add(cpu, action);
            return this;
        }

        /// <summary>The CPUs with an action, ascending.</summary>
        public IReadOnlyCollection<int> Cpus => _actions.Keys;

        internal IEnumerable<KeyValuePair<int, Action<Cpu>>> Actions => _actions;

        internal void CheckAgainst(Machine machine)
        {
            if (_actions.Count == 0) throw new ArgumentException("the scenario gives no CPU anything to do");
            foreach (var cpu in _actions.Keys)
            {
                if (cpu >= machine.Cpus.Length)
                    throw new ArgumentOutOfRangeException(nameof(cpu), cpu, $"no cpu{cpu}: this machine has {machine.Cpus.Length}");
            }
        }
    }

    /// <summary>How a controlled run chooses.</summary>
    /// <param name="Schedule">Decisions taken first, in order; then the default policy continues.</param>
    /// <param name="Seed">With a seed the default policy picks at random (reproducibly); without, it keeps running the
    /// current CPU while it can and otherwise picks the lowest runnable id.</param>
    /// <param name="MaxSteps">Scheduling points after which the run ends as <see cref="RunOutcome.StepLimit"/>.</param>
    public sealed record RunOptions(Schedule? Schedule = null, int? Seed = null, int MaxSteps = 100_000)
    {
        /// <summary>How long a task may hold the baton without reaching a point before the run is declared hung.</summary>
        public TimeSpan HangTimeout { get; init; } = TimeSpan.FromSeconds(10);

        /// <summary>Records each step's shared accesses here (partial-order reduction), or null.</summary>
        internal StepLog? Steps { get; init; }

        /// <summary>Steers the run past <see cref="Schedule"/>, or null for the seed or default policy.</summary>
        internal IRunGuide? Guide { get; init; }

        /// <summary>
        /// The debug mode of the access records: after every step, every change to page-table words, frame records and
        /// TLBs must be covered by a recorded write, or the run ends as <see cref="RunOutcome.UnrecordedAccess"/> (<see cref="AccessAudit"/>).
        /// </summary>
        public bool AuditAccesses { get; init; }
    }
}
