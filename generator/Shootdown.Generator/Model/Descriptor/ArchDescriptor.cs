// Shared between the analyzer (netstandard2.0) and the runtime (net10.0).
namespace Shootdown
{
    /// <summary>
    /// Everything an architecture says about how it tears down mappings: the value behind the descriptor attributes.
    /// A value type in meaning (record equality), so the generator can cache on it and the explorer can enumerate it.
    /// </summary>
    /// <param name="Name">The architecture's name, unique in a compilation.</param>
    /// <param name="Invalidation">How remote TLBs are invalidated.</param>
    /// <param name="SynchronousOnClear">Clearing a PTE itself invalidates it on every CPU before it returns (s390 <c>IPTE</c>).</param>
    /// <param name="Levels">Page-table levels, 2 to 5 (<c>CONFIG_PGTABLE_LEVELS</c>).</param>
    /// <param name="PageSize">Base page size in bytes.</param>
    /// <param name="FragmentsPerPage">Page tables per page-table page: 1 for full pages, a power of two above one for fragments.</param>
    /// <param name="PteBits">Width of a page-table entry.</param>
    /// <param name="WordBits">Width of the machine word (pointer size); also the widest single-copy-atomic load unless
    /// <see cref="AtomicLoadBits"/> says more.</param>
    /// <param name="PteSpecial">The PTE has a special bit (<c>ARCH_HAS_PTE_SPECIAL</c>), so PTE-level fast GUP is possible.</param>
    /// <param name="Walker">Whether the hardware walks the Linux tables and caches upper levels.</param>
    /// <param name="SoftwareTlbRefill">A software TLB refill handler walks the Linux tables with interrupts off.</param>
    /// <param name="Options">The <c>MMU_GATHER_*</c> options as written (see <see cref="EffectiveOptions"/>).</param>
    /// <param name="FastGup">The architecture has lockless fast GUP (<c>HAVE_GUP_FAST</c>).</param>
    /// <param name="PteRead">How fast GUP reads a PTE.</param>
    public sealed record ArchDescriptor(
        string Name,
        Invalidation Invalidation,
        bool SynchronousOnClear,
        int Levels,
        int PageSize,
        int FragmentsPerPage,
        int PteBits,
        int WordBits,
        bool PteSpecial,
        WalkerKind Walker,
        bool SoftwareTlbRefill,
        GatherOptions Options,
        bool FastGup,
        PteRead PteRead)
    {
        /// <summary>
        /// The widest single-copy-atomic load, when wider than the word: ARM LPAE makes a 64-bit aligned <c>LDRD</c>
        /// atomic on a 32-bit machine, so its 64-bit PTE is read in one load. 0 means the word width.
        /// </summary>
        public int AtomicLoadBits { get; init; }

        /// <summary>
        /// Entries in a PTE table (<c>PTRS_PER_PTE</c>) when that is fewer than its page or fragment holds: s390 keeps 256
        /// entries (a 2 KiB table, 1 MiB per segment) and since v6.8 gives each table a whole 4 KiB page. 0 means as
        /// many as the page (or fragment) holds.
        /// </summary>
        public int PtrsPerPte { get; init; }

        /// <summary>
        /// log2 of the pages in one table above the PTE level: s390's region and segment tables are 16 KiB, 2048 entries
        /// (<c>CRST_ALLOC_ORDER</c> 2). 0 means one page.
        /// </summary>
        public int UpperTableOrder { get; init; }

        /// <summary>Entries in a PTE table: <see cref="PtrsPerPte"/>, or as many as the page (or fragment) holds.</summary>
        public int EffectivePtrsPerPte => PtrsPerPte != 0 ? PtrsPerPte : PageSize / FragmentsPerPage / (PteBits / 8);

        /// <summary>The widest single-copy-atomic load: <see cref="AtomicLoadBits"/>, or the word when that is 0.</summary>
        public int EffectiveAtomicLoadBits => AtomicLoadBits == 0 ? WordBits : AtomicLoadBits;

        /// <summary>The options after Kconfig's <c>select</c>s: RCU_TABLE_FREE selects TABLE_FREE, NO_RANGE selects MERGE_VMAS.</summary>
        public GatherOptions EffectiveOptions
        {
            get
            {
                var o = Options;
                if ((o & GatherOptions.RcuTableFree) != 0) o |= GatherOptions.TableFree;
                if ((o & GatherOptions.NoRange) != 0) o |= GatherOptions.MergeVmas;
                return o;
            }
        }

        /// <summary>True when <paramref name="option"/> is on after Kconfig's <c>select</c>s.</summary>
        public bool Has(GatherOptions option) => (EffectiveOptions & option) == option;

        /// <summary>Page tables are packed several to a page (s390 2 KiB tables, powerpc PTE fragments).</summary>
        public bool HasFragments => FragmentsPerPage > 1;

        /// <summary>The PTE is wider than a single-copy-atomic load (x86 PAE; not ARM LPAE, whose LDRD is atomic).</summary>
        public bool PteWiderThanWord => PteBits > EffectiveAtomicLoadBits;

        /// <summary>Something reads the page tables without locks and relies on interrupts being off.</summary>
        public bool HasSoftwareWalker => FastGup || SoftwareTlbRefill;

        /// <summary>The hardware reads the Linux tables, so freeing a table needs a TLB (and walk-cache) invalidate first.</summary>
        public bool HardwareWalksTables => Walker != WalkerKind.None;

        /// <summary>One line in Kconfig terms, for listings and generated comments.</summary>
        public string Summary()
        {
            var b = new System.Text.StringBuilder();
            b.Append(Invalidation == Invalidation.Ipi ? "IPI" : "broadcast");
            if (SynchronousOnClear) b.Append("+sync-clear");
            b.Append(", ").Append(Levels).Append(" levels, ").Append(PageSize / 1024).Append(" KiB pages");
            if (HasFragments) b.Append(", ").Append(FragmentsPerPage).Append(" tables/page");
            if (PtrsPerPte != 0) b.Append(", ").Append(PtrsPerPte).Append("-entry PTE tables");
            if (UpperTableOrder != 0) b.Append(", ").Append((PageSize << UpperTableOrder) / 1024).Append(" KiB upper tables");
            b.Append(", ").Append(PteBits).Append("-bit PTE/").Append(WordBits).Append("-bit word");
            if (AtomicLoadBits != 0) b.Append(" (").Append(AtomicLoadBits).Append("-bit atomic loads)");
            if (PteSpecial) b.Append(", pte_special");
            b.Append(", walker ").Append(Walker switch
            {
                WalkerKind.None => "none",
                WalkerKind.WalksTables => "walks",
                _ => "walks+caches",
            });
            if (SoftwareTlbRefill) b.Append(", sw-refill");
            if (FastGup) b.Append(", fast-gup(").Append(PteRead == PteRead.SingleLoad ? "load" : "low/high").Append(')');
            b.Append(", ").Append(GatherOptionNames.Kconfig(Options));
            return b.ToString();
        }
    }
}
