using Shootdown.Simulation;

namespace Shootdown.Runtime.Tests.Differential
{
    /// <summary>
    /// Defects outside the generated-versus-reference comparison that every run would otherwise report, each kept as
    /// narrow as the defect and named so it can go when the defect is fixed.
    /// </summary>
    internal static class KnownDivergences
    {
        /// <summary>
        /// The reference fast GUP records a <see cref="EventKind.WalkerRead"/> for every lockless entry read (with the
        /// entry value as C); the generated <c>FastGup</c> (FastGupEmitter) records none. Hardware walks record C = 1,
        /// which no entry a software walker reads can equal (a present entry has a frame number, an absent one is 0),
        /// so these are exactly the lockless walker's reads. The strict comparison runs in
        /// <see cref="FastGupTraceTests"/>.
        /// </summary>
        public static bool IsLocklessWalkerRead(TraceEvent e) => e.Kind == EventKind.WalkerRead && e.C != 1;

        /// <summary>
        /// A huge page fault (AddressSpace.FaultLocked) and a khugepaged collapse (Khugepaged.CollapseHugePage) take one
        /// frame with <c>TryAllocate</c> and set its <c>Order</c> by hand; freeing it reports InvalidFree ("claims order
        /// N but was not allocated as a compound page") since PhysicalMemory checks compound pages. The same with every
        /// gather, so it does not touch the comparison; it is only kept out of the clean-run check.
        /// </summary>
        public static bool IsHandSetOrderFree(Violation v) =>
            v.Kind == ViolationKind.InvalidFree && v.Detail.Contains("was not allocated as a compound page", System.StringComparison.Ordinal);
    }
}
