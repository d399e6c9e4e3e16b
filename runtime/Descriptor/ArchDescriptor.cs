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

        /// <summary>Entries in a PMD table (<c>PTRS_PER_PMD</c>); 0 means a page's worth. s390: 2048 (16 KiB).</summary>
        public int PtrsPerPmd { get; init; }

        /// <summary>Entries in a PUD table (<c>PTRS_PER_PUD</c>); 0 means a page's worth. powerpc64 hash 64K: 1024.</summary>
        public int PtrsPerPud { get; init; }

        /// <summary>Entries in a P4D table (<c>PTRS_PER_P4D</c>), with 5 levels only; 0 means a page's worth.</summary>
        public int PtrsPerP4d { get; init; }

        /// <summary>
        /// Entries in the PGD (<c>PTRS_PER_PGD</c>); 0 means a page's worth. Either way no more than the address bits left
        /// above the lower levels need: 4 with x86 PAE, and user space stops at 2^63.
        /// </summary>
        public int PtrsPerPgd { get; init; }

        /// <summary>The Linux release whose behaviour the generated code and the reference follow (the newest stable by default, docs/linux-eras.md).</summary>
        public LinuxEra Linux { get; init; }

        /// <summary>
        /// The arch frees tables with its own <c>__tlb_remove_table</c> (<c>HAVE_ARCH_TLB_REMOVE_TABLE</c>: powerpc, sparc64),
        /// which keeps <c>CONFIG_PT_RECLAIM</c> off.
        /// </summary>
        public bool ArchTlbRemoveTable { get; init; }

        /// <summary>
        /// Freeing a PMD table sets <c>tlb->need_flush_all</c>, so every later flush of the gather is of the whole mm
        /// (arch/x86/mm/pgtable.c <c>___pmd_free_tlb</c>, <c>#ifdef CONFIG_X86_PAE</c>: the CPU caches the four PDPTEs and
        /// notices a change only on a CR3 reload). A knob, not derived from the shape: ARM LPAE has the same shape
        /// (3 levels, 64-bit PTEs, 32-bit words) and its <c>__pmd_free_tlb</c> sets nothing.
        /// </summary>
        public bool PmdFreeFlushesAll { get; init; }

        /// <summary>What the arch's <c>tlb_flush()</c> does for a fullmm gather (exit_mmap): arm64 and s390 do less than asm-generic.</summary>
        public FullMmFlush FullMmFlush { get; init; }

        /// <summary>
        /// An mm with a global ASID is flushed by hardware broadcast, the others by IPI (x86 INVLPGB, v6.15 on:
        /// arch/x86/mm/tlb.c <c>flush_tlb_mm_range</c> picks <c>broadcast_tlb_flush</c> when <c>mm_global_asid(mm)</c>,
        /// else <c>flush_tlb_multi</c>). Only with <see cref="Invalidation.Ipi"/>: the IPI is the fallback.
        /// </summary>
        public bool GlobalAsidBroadcast { get; init; }

        /// <summary>
        /// Some flush may be a hardware broadcast that waits for nobody: <see cref="Invalidation.HardwareBroadcast"/>, or IPIs
        /// with <see cref="GlobalAsidBroadcast"/> (an mm with a global ASID).
        /// </summary>
        public bool MayBroadcast => Invalidation == Invalidation.HardwareBroadcast || GlobalAsidBroadcast;
        /// <summary>
        /// PMD tables per page-table page (<c>PMD_FRAG_NR</c>, arch/powerpc/include/asm/book3s/64/radix-64k.h: 16 with
        /// 64 KiB pages), 1 for full pages. <see cref="FragmentsPerPage"/> is the PTE level's count.
        /// </summary>
        public int PmdFragmentsPerPage { get; init; } = 1;

        /// <summary>Tables per page at <paramref name="level"/> (0 the PTE table): PTE or PMD fragments, else 1.</summary>
        public int FragmentsAt(int level) => level == 0 ? FragmentsPerPage : level == 1 && Levels > 2 ? PmdFragmentsPerPage : 1;

        /// <summary>The <c>PTRS_PER_*</c> given for <paramref name="level"/> (0 the PTE table, <see cref="Levels"/>-1 the PGD), or 0.</summary>
        public int DeclaredEntries(int level) =>
            level == 0 ? PtrsPerPte : level == Levels - 1 ? PtrsPerPgd : level switch { 1 => PtrsPerPmd, 2 => PtrsPerPud, _ => PtrsPerP4d };

        /// <summary>True when any <c>PTRS_PER_*</c> is given.</summary>
        public bool DeclaresEntries => (PtrsPerPte | PtrsPerPmd | PtrsPerPud | PtrsPerP4d | PtrsPerPgd) != 0;

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

        /// <summary>Page tables are packed several to a page (s390 2 KiB tables, powerpc PTE and PMD fragments).</summary>
        public bool HasFragments => FragmentsPerPage > 1 || PmdFragmentsPerPage > 1;

        /// <summary>The PTE is wider than a single-copy-atomic load (x86 PAE; not ARM LPAE, whose LDRD is atomic).</summary>
        public bool PteWiderThanWord => PteBits > EffectiveAtomicLoadBits;

        /// <summary>Something reads the page tables without locks and relies on interrupts being off.</summary>
        public bool HasSoftwareWalker => FastGup || SoftwareTlbRefill;

        /// <summary>The hardware reads the Linux tables, so freeing a table needs a TLB (and walk-cache) invalidate first.</summary>
        public bool HardwareWalksTables => Walker != WalkerKind.None;

        /// <summary>The <c>PTRS_PER_*</c> given, in Linux's words: <c>PTRS_PER_PTE 256, PTRS_PER_PMD 2048</c>.</summary>
        public string DeclaredEntriesText()
        {
            var b = new System.Text.StringBuilder();
            foreach (var slot in EntrySlots)
            {
                var knob = DescriptorKnobs.Of(slot)!;
                var entries = knob.Get(this);
                if (entries == 0) continue;
                if (b.Length > 0) b.Append(", ");
                b.Append(knob.Linux).Append(' ').Append(entries);
            }
            return b.ToString();
        }

        // The PTRS_PER_* knobs from the PTE table up, as Linux lists them.
        private static readonly DescriptorSlot[] EntrySlots =
            { DescriptorSlot.PtrsPerPte, DescriptorSlot.PtrsPerPmd, DescriptorSlot.PtrsPerPud, DescriptorSlot.PtrsPerP4d, DescriptorSlot.PtrsPerPgd };

        /// <summary>One line in Kconfig terms, for listings and generated comments.</summary>
        public string Summary()
        {
            var b = new System.Text.StringBuilder();
            b.Append(Invalidation == Invalidation.Ipi ? "IPI" : "broadcast");
            if (GlobalAsidBroadcast) b.Append("/broadcast per mm (global ASID)");
            if (SynchronousOnClear) b.Append("+sync-clear");
            if (FullMmFlush != FullMmFlush.FlushMm) b.Append(", fullmm ").Append(FullMmFlush == FullMmFlush.Lazy ? "lazy" : "tables-only");
            b.Append(", ").Append(Levels).Append(" levels, ").Append(PageSize / 1024).Append(" KiB pages");
            if (FragmentsPerPage > 1) b.Append(", ").Append(FragmentsPerPage).Append(" tables/page");
            if (PmdFragmentsPerPage > 1) b.Append(", ").Append(PmdFragmentsPerPage).Append(" PMD tables/page");
            if (DeclaresEntries) b.Append(", ").Append(DeclaredEntriesText());
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
