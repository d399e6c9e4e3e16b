using System;

namespace Shootdown.Simulation
{
    /// <summary>
    /// The lockless half of <c>get_user_pages_fast</c> (mm/gup.c <c>gup_fast</c>): implemented by the reference (branching
    /// on the descriptor) and by every generated <c>FastGup</c> (specialized). The slow-path fallback is shared runtime code.
    /// </summary>
    /// <typeparam name="TSelf">The implementing struct.</typeparam>
    public interface IFastGup<TSelf> where TSelf : struct, IFastGup<TSelf>
    {
        /// <summary>
        /// With interrupts off, walk <paramref name="mm"/> from <paramref name="start"/> and pin up to
        /// <paramref name="pages"/>.Length pages into <paramref name="pages"/>; stop at the first page that cannot be taken
        /// locklessly. Returns how many were pinned (each holds one reference the caller must put).
        /// </summary>
        static abstract int GupFast(Cpu cpu, Mm mm, ulong start, bool write, Span<int> pages);
    }
}
