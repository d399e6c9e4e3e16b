using System;

namespace Shootdown
{
    /// <summary>
    /// Marks a partial class as an architecture description. The generator fills the class with a specialized
    /// <c>MmuGather</c>, table batch and fast GUP for exactly this configuration; the analyzer checks it for races.
    /// </summary>
    [AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
    public sealed class ArchitectureAttribute : Attribute
    {
        /// <summary>Describes an architecture named <paramref name="name"/> (Linux's name, for example "arm64").</summary>
        public ArchitectureAttribute(string name) => Name = name;

        /// <summary>The architecture's name, unique in a compilation.</summary>
        public string Name { get; }

        /// <summary>The Linux release to follow where releases differ (docs/linux-eras.md): the newest stable by default.</summary>
        public LinuxEra Linux { get; set; }
    }

    /// <summary>
    /// How remote TLBs are invalidated. IPI invalidation waits for every CPU, which is what lets an interrupts-off walker
    /// (fast GUP) rely on tables staying alive; hardware broadcast waits for nobody.
    /// </summary>
    [AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
    public sealed class TlbInvalidationAttribute : Attribute
    {
        /// <summary>Invalidation by <paramref name="mode"/>.</summary>
        public TlbInvalidationAttribute(Invalidation mode) => Mode = mode;

        /// <summary>IPI or hardware broadcast.</summary>
        public Invalidation Mode { get; }

        /// <summary>
        /// Clearing a PTE itself invalidates it on every CPU before the instruction completes (s390 <c>IPTE</c>/<c>IDTE</c>).
        /// The only condition under which <c>MMU_GATHER_NO_GATHER</c> is safe.
        /// </summary>
        public bool SynchronousOnClear { get; set; }

        /// <summary>What <c>tlb_flush()</c> does at exit_mmap (a fullmm gather); <see cref="FullMmFlush.FlushMm"/>, as asm-generic, by default.</summary>
        public FullMmFlush FullMm { get; set; }

        /// <summary>
        /// x86 INVLPGB (<c>X86_FEATURE_INVLPGB</c>, v6.15 and later): an mm with a global ASID is flushed by hardware broadcast
        /// (<c>broadcast_tlb_flush</c>), every other mm by the IPIs of <see cref="Mode"/> (<c>flush_tlb_multi</c>); the
        /// choice is made per mm at each flush (<c>flush_tlb_mm_range</c>: <c>if (mm_global_asid(mm))</c>).
        /// </summary>
        public bool GlobalAsidBroadcast { get; set; }
    }

    /// <summary>Shape of the page tables: levels (<c>CONFIG_PGTABLE_LEVELS</c>), page size and fragments per page.</summary>
    [AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
    public sealed class PageTablesAttribute : Attribute
    {
        /// <summary>Page tables of <paramref name="levels"/> levels (2 to 5).</summary>
        public PageTablesAttribute(int levels) => Levels = levels;

        /// <summary>Levels of page table, 2 to 5.</summary>
        public int Levels { get; }

        /// <summary>Base page size in bytes (4096 by default).</summary>
        public int PageSize { get; set; } = 4096;

        /// <summary>
        /// Page tables per page-table page: 1 for full pages; 2 for s390's 2 KiB tables in a 4 KiB page; more for powerpc
        /// PTE fragments. Fragments need <c>MMU_GATHER_TABLE_FREE</c>: freeing one must not free its siblings' page.
        /// </summary>
        public int FragmentsPerPage { get; set; } = 1;

        /// <summary>
        /// PMD tables per page-table page (<c>PMD_FRAG_NR</c>): 1 for full pages; 16 on powerpc64 radix with 64 KiB pages,
        /// whose 4 KiB PMD tables are carved from a page by <c>pmd_fragment_alloc</c>. Needs a PMD level (3 or more levels)
        /// and, like PTE fragments, <c>MMU_GATHER_TABLE_FREE</c>.
        /// </summary>
        public int PmdFragmentsPerPage { get; set; } = 1;

        /// <summary>
        /// Entries in a PTE table (<c>PTRS_PER_PTE</c>) when fewer than its page or fragment holds: 256 on s390, whose
        /// 2 KiB PTE table has had a 4 KiB page of its own since v6.8. 0 (the default) means as many as fit.
        /// </summary>
        public int PtrsPerPte { get; set; }

        /// <summary>
        /// Entries in a PMD table (<c>PTRS_PER_PMD</c>): 2048 on s390, whose segment tables are 16 KiB; 1024 on powerpc64
        /// hash with 64 KiB pages. A table larger than a page takes several (up to 16), a smaller one a page of its own.
        /// 0 (the default) means a page's worth.
        /// </summary>
        public int PtrsPerPmd { get; set; }

        /// <summary>Entries in a PUD table (<c>PTRS_PER_PUD</c>), as <see cref="PtrsPerPmd"/>; needs 4 or 5 levels.</summary>
        public int PtrsPerPud { get; set; }

        /// <summary>Entries in a P4D table (<c>PTRS_PER_P4D</c>), as <see cref="PtrsPerPmd"/>; needs 5 levels.</summary>
        public int PtrsPerP4d { get; set; }

        /// <summary>
        /// Entries in the PGD (<c>PTRS_PER_PGD</c>), as <see cref="PtrsPerPmd"/>. The walk uses no more of it than the
        /// address has bits left (at most 2^63 of user space).
        /// </summary>
        public int PtrsPerPgd { get; set; }
    }

    /// <summary>
    /// Width of a page-table entry and of the machine word. A PTE wider than the word (x86 PAE, ARM LPAE) cannot be read
    /// in one load: fast GUP must use the low/high split read or it can see a torn PTE.
    /// </summary>
    [AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
    public sealed class PteFormatAttribute : Attribute
    {
        /// <summary>PTEs of <paramref name="pteBits"/> bits on a machine with <paramref name="wordBits"/>-bit words.</summary>
        public PteFormatAttribute(int pteBits, int wordBits)
        {
            PteBits = pteBits;
            WordBits = wordBits;
        }

        /// <summary>PTE width: 32 or 64.</summary>
        public int PteBits { get; }

        /// <summary>Machine word width: 32 or 64.</summary>
        public int WordBits { get; }

        /// <summary>The PTE has a special bit (<c>ARCH_HAS_PTE_SPECIAL</c>); without it fast GUP cannot take small pages.</summary>
        public bool SpecialBit { get; set; }

        /// <summary>
        /// The widest single-copy-atomic load when it is wider than the word: 64 on ARM LPAE, where a 64-bit aligned
        /// <c>LDRD</c> is atomic, so a 64-bit PTE is one load and needs no low/high split (ARM does not select
        /// <c>GUP_GET_PXX_LOW_HIGH</c>). Left at 0 it is the word width, as on x86 PAE.
        /// </summary>
        public int AtomicLoadBits { get; set; }
    }

    /// <summary>
    /// Whether the MMU walks the Linux tables and caches upper-level entries: decides whether freeing a table needs a TLB
    /// and walk-cache invalidate first (<c>tlb_needs_table_invalidate()</c>). Without this attribute: no hardware walker.
    /// </summary>
    [AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
    public sealed class HardwareWalkerAttribute : Attribute
    {
        /// <summary>A hardware walker of kind <paramref name="kind"/>.</summary>
        public HardwareWalkerAttribute(WalkerKind kind) => Kind = kind;

        /// <summary>None, walks, or walks and caches upper levels.</summary>
        public WalkerKind Kind { get; }
    }

    /// <summary>
    /// A software TLB refill handler walks the Linux tables with interrupts off (the "or software TLB fill" of
    /// <c>MMU_GATHER_RCU_TABLE_FREE</c>'s rationale): a lockless walker, like fast GUP.
    /// </summary>
    [AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
    public sealed class SoftwareTlbRefillAttribute : Attribute
    {
    }

    /// <summary>The <c>MMU_GATHER_*</c> Kconfig options the architecture selects. Without this attribute: none.</summary>
    [AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
    public sealed class GatherAttribute : Attribute
    {
        /// <summary>Selects <paramref name="options"/>.</summary>
        public GatherAttribute(GatherOptions options) => Options = options;

        /// <summary>The selected options.</summary>
        public GatherOptions Options { get; }

        /// <summary>
        /// The arch has its own <c>__tlb_remove_table</c> (<c>HAVE_ARCH_TLB_REMOVE_TABLE</c>, powerpc and sparc64), so
        /// <c>CONFIG_PT_RECLAIM</c> (which depends on its absence) is off from v6.14 on.
        /// </summary>
        public bool ArchTlbRemoveTable { get; set; }

        /// <summary>
        /// Freeing a PMD table makes the gather flush the whole mm from then on (<c>tlb->need_flush_all = 1</c> in x86's
        /// <c>___pmd_free_tlb</c> under <c>CONFIG_X86_PAE</c>, because the CPU caches the PDPTEs until CR3 is reloaded).
        /// </summary>
        public bool PmdFreeFlushesAll { get; set; }
    }

    /// <summary>
    /// The architecture has lockless fast GUP (<c>HAVE_GUP_FAST</c>): a walker that runs with interrupts off and
    /// relies on IPI invalidation or RCU table freeing to keep the tables it reads alive.
    /// </summary>
    [AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
    public sealed class FastGupAttribute : Attribute
    {
        /// <summary>Fast GUP reading PTEs with <paramref name="read"/>.</summary>
        public FastGupAttribute(PteRead read = PteRead.SingleLoad) => Read = read;

        /// <summary>How a PTE is read: one load, or the low/high split for PTEs wider than the word.</summary>
        public PteRead Read { get; }
    }
}
