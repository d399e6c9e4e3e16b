using System;

namespace Shootdown.Reference
{
    /// <summary>Points inside the reference fast GUP where another CPU's steps may be interleaved.</summary>
    public enum WalkerStep
    {
        /// <summary>An upper-level or PMD entry was read; the walker is about to descend or take a huge leaf.</summary>
        EntryRead,
        /// <summary>The low half of a PTE wider than the word was read; the high half is next.</summary>
        BetweenHalves,
        /// <summary>A PTE was read; the speculative reference is next.</summary>
        PteRead,
        /// <summary>The speculative reference was taken; the PMD and PTE re-check is next.</summary>
        ReferenceTaken,
    }

    /// <summary>
    /// Deterministic interleaving on one thread: a test installs a callback that runs another CPU's steps at a chosen
    /// point of a lockless walk (the walker keeps its interrupts-off state meanwhile). Per thread, so concurrent runs do
    /// not see each other's callbacks.
    /// </summary>
    public static class WalkerSteps
    {
        [ThreadStatic] private static Action<WalkerStep, int, ulong>? _interleave;

        /// <summary>
        /// Runs <paramref name="body"/> with <paramref name="interleave"/> called at every walker step as
        /// (step, level, address); restores the previous callback afterwards.
        /// </summary>
        public static void With(Action<WalkerStep, int, ulong> interleave, Action body)
        {
            ArgumentNullException.ThrowIfNull(interleave);
            ArgumentNullException.ThrowIfNull(body);
            var previous = _interleave;
            _interleave = interleave;
            try { body(); }
            finally { _interleave = previous; }
        }

        internal static void At(WalkerStep step, int level, ulong address) => _interleave?.Invoke(step, level, address);
    }
}
