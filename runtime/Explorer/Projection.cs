namespace Shootdown.Explorer
{
    /// <summary>
    /// Canonical values for descriptor fields a scenario's executions cannot observe. Two descriptors with the same
    /// projection run the same executions, decision for decision and event for event, so the explorer explores one and
    /// gives the verdict to both. What each field feeds (checked against the sources):
    /// <list type="bullet">
    /// <item><c>PteRead</c>: only fast GUP's PTE and PMD loads (the split read is done as described, even where the PTE
    /// fits in a word and SHD008 calls it pointless: it takes more steps).</item>
    /// <item><c>FastGup</c>: only fast GUP (and which walker a scenario puts on a CPU).</item>
    /// <item><c>SoftwareTlbRefill</c>: only which walker a scenario puts on a CPU.</item>
    /// <item><c>Walker</c>: the MMU (speculative walks, walk-cache use) and the in-flight walker; walk-cache contents
    /// are only ever read by a walk.</item>
    /// <item>gather options, sync-on-clear: the gather and zap code; khugepaged reads RCU_TABLE_FREE only.</item>
    /// </list>
    /// Geometry (levels, page size, fragments, PTE and word width) is always kept.
    /// </summary>
    public static class Projection
    {
        /// <summary>The PTE read matters only to fast GUP.</summary>
        public static ArchDescriptor ReadIfObservable(ArchDescriptor d) =>
            d.FastGup ? d : d with { PteRead = PteRead.SingleLoad };

        /// <summary>No fast GUP is run: its presence and its PTE read are not observable.</summary>
        public static ArchDescriptor WithoutGup(ArchDescriptor d) => d with { FastGup = false, PteRead = PteRead.SingleLoad };

        /// <summary>No software refill handler is run.</summary>
        public static ArchDescriptor WithoutRefill(ArchDescriptor d) => d with { SoftwareTlbRefill = false };

        /// <summary>No walk of the MMU is run, so walk caches are never read.</summary>
        public static ArchDescriptor WithoutWalker(ArchDescriptor d) => d with { Walker = WalkerKind.None };

        /// <summary>No gather is run: only RCU_TABLE_FREE (read by khugepaged) is observable.</summary>
        public static ArchDescriptor OnlyRcuOption(ArchDescriptor d) => d with { Options = d.Has(GatherOptions.RcuTableFree) ? GatherOptions.RcuTableFree : GatherOptions.None };

        /// <summary>No gather is run at all.</summary>
        public static ArchDescriptor WithoutGather(ArchDescriptor d) => d with { Options = GatherOptions.None };

        /// <summary>
        /// The walker composite of <c>HardwareWalkerLoop.Software</c>: fast GUP when present, else the refill handler, so
        /// with fast GUP the refill flag is not observable.
        /// </summary>
        public static ArchDescriptor SoftwareWalker(ArchDescriptor d) => d.FastGup ? WithoutRefill(ReadIfObservable(d)) : WithoutGup(d);
    }
}
