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

        /// <summary>Called before each exploration with its scenario and subject (for progress lines).</summary>
        public Action<RaceScenario, Simulation.ArchitectureOps>? OnExploring { get; init; }

        /// <summary>Stops the exploration under way between two of its executions; the result then says it was interrupted and holds what was done.</summary>
        public CancellationToken Cancellation { get; init; }
    }
}
