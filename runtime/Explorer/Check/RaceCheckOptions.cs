using System;
using System.Collections.Generic;
using System.Threading;

namespace Shootdown.Explorer
{
    /// <summary>What <see cref="RaceCheck"/> explores and how far.</summary>
    public sealed record RaceCheckOptions
    {
        /// <summary>The defaults: every applicable scenario, <see cref="SearchBounds.Default"/>.</summary>
        public static RaceCheckOptions Default { get; } = new();

        /// <summary>How far each exploration looks (preemption bound, execution cap, steps, random and PCT runs).</summary>
        public SearchBounds Bounds { get; init; } = SearchBounds.Default;

        /// <summary>Only these scenarios (by name); null for every scenario that applies to the descriptor.</summary>
        public IReadOnlyCollection<string>? Scenarios { get; init; }

        /// <summary>Called before each exploration with its scenario and subject; from several threads when <see cref="Parallelism"/> is above 1.</summary>
        public Action<RaceScenario, Simulation.ArchitectureOps>? OnExploring { get; init; }

        /// <summary>Called after each exploration, in the order of the check (subject, then scenario), one call at a time.</summary>
        public Action<ExplorationDone>? OnExplored { get; init; }

        /// <summary>
        /// Explorations run at once, each on its own thread (0: one per core). Verdicts, witnesses and their order do not
        /// depend on it (<see cref="InOrder"/>).
        /// </summary>
        public int Parallelism { get; init; }

        /// <summary>Stops the explorations under way between two of their executions and starts no more; the result then says it was interrupted and holds what was done.</summary>
        public CancellationToken Cancellation { get; init; }
    }
}
