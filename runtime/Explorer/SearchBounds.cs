using System;

namespace Shootdown.Explorer
{
    /// <summary>The systematic search an exploration runs.</summary>
    public enum SearchMode
    {
        /// <summary>Dynamic partial-order reduction over the shared objects each step touches (the default).</summary>
        Dpor,
        /// <summary>Every schedule within the preemption bound, one by one: the oracle DPOR is checked against.</summary>
        ExhaustiveDfs,
        /// <summary>No systematic search: seeded random schedules only.</summary>
        Random,
        /// <summary>No systematic search: PCT schedules only.</summary>
        Pct,
    }

    /// <summary>How far the explorer looks.</summary>
    /// <param name="Preemptions">Preemption bound of the systematic search: switching away from a CPU that could have
    /// gone on counts one.</param>
    /// <param name="MaxSystematic">Executions the systematic search may take; past it the search is not exhaustive.</param>
    /// <param name="Random">Seeded random executions (a random runnable CPU at every decision).</param>
    /// <param name="Pct">PCT executions: random CPU priorities, <paramref name="PctDepth"/>-1 priority change points.</param>
    /// <param name="PctDepth">PCT's bug depth d.</param>
    /// <param name="Seed">Seed of the random and PCT searches.</param>
    /// <param name="MaxSteps">Scheduling points per execution before it counts as endless.</param>
    /// <param name="StopAtFirst">Stop at the first violation (for a verdict) rather than look on for the shortest.</param>
    /// <param name="Search">Which systematic search runs.</param>
    /// <param name="Unbounded">DPOR without a preemption bound (with sleep sets): a proof for every interleaving.</param>
    public sealed record SearchBounds(
        int Preemptions = 2,
        int MaxSystematic = 100_000,
        int Random = 64,
        int Pct = 64,
        int PctDepth = 3,
        int Seed = 1,
        int MaxSteps = 20_000,
        bool StopAtFirst = false,
        SearchMode Search = SearchMode.Dpor,
        bool Unbounded = false)
    {
        /// <summary>The defaults of <c>check</c>: preemption bound 2, random and PCT runs, shortest witness.</summary>
        public static SearchBounds Default { get; } = new();

        /// <summary>For the descriptor space: a verdict per descriptor, bound 1 systematic plus a few random and PCT runs.</summary>
        public static SearchBounds Verdict { get; } = new(Preemptions: 1, MaxSystematic: 2_000, Random: 4, Pct: 2, StopAtFirst: true);

        /// <summary>
        /// The debug mode: every execution checks, after each step, that every change to page tables, frame records and
        /// TLBs was recorded as a write (<c>RunOutcome.UnrecordedAccess</c> otherwise). Slow; for tests and <c>check --audit-accesses</c>.
        /// </summary>
        public bool AuditAccesses { get; init; }

        /// <summary>Throws when a bound makes no sense.</summary>
        public void Validate()
        {
            if (Preemptions < 0) throw new ArgumentOutOfRangeException(nameof(Preemptions), Preemptions, "must not be negative");
            if (MaxSystematic < 1) throw new ArgumentOutOfRangeException(nameof(MaxSystematic), MaxSystematic, "must be positive");
            if (Random < 0 || Pct < 0) throw new ArgumentOutOfRangeException(nameof(Random), "run counts must not be negative");
            if (PctDepth < 1) throw new ArgumentOutOfRangeException(nameof(PctDepth), PctDepth, "PCT depth is at least 1");
            if (MaxSteps < 1) throw new ArgumentOutOfRangeException(nameof(MaxSteps), MaxSteps, "must be positive");
        }
    }
}
