namespace Shootdown.Archs.Catalog
{
    /// <summary>
    /// s390x: <c>IPTE</c>/<c>IDTE</c> invalidate every CPU before the clearing instruction completes, so pages are freed at
    /// once (<c>MMU_GATHER_NO_GATHER</c>); 5 levels: 16 KiB region and segment tables of 2048 entries over 256-entry PTE
    /// tables (1 MiB segments); fast GUP under RCU table freeing.
    /// </summary>
    /// <remarks>
    /// <para>arch/s390/Kconfig, <c>config S390</c>: <c>select MMU_GATHER_MERGE_VMAS</c>, <c>select MMU_GATHER_NO_GATHER</c>,
    /// <c>select MMU_GATHER_RCU_TABLE_FREE</c>, <c>select HAVE_GUP_FAST</c>, <c>select ARCH_HAS_PTE_SPECIAL</c>;
    /// <c>config PGTABLE_LEVELS</c> <c>default 5</c> (a new mm may start lower and be upgraded; the walk models 5).</para>
    /// <para>Where the brief and Linux differ: s390 PTE tables are 2 KiB, and until v6.8 two of them shared a 4 KiB page
    /// (the fragments that motivated <c>MMU_GATHER_TABLE_FREE</c> and the shared RCU head of <c>pte_free_defer</c>).
    /// d08d4e7cd6bf "s390/mm: use full 4KB page for 2KB PTE" gives each PTE table its own page, so the current kernel has
    /// one table per page: <c>PtrsPerPte = 256</c> (arch/s390/include/asm/pgtable.h: <c>PTRS_PER_PTE</c> 256,
    /// <c>PMD_SHIFT</c> 20), the rest of the page unused here (KVM keeps its PGSTEs there). Region and segment tables are
    /// 16 KiB, 2048 entries (<c>CRST_ALLOC_ORDER</c> 2, <c>PTRS_PER_PMD</c> to <c>PTRS_PER_PGD</c> 2048), each one
    /// compound page of four frames here. Five levels then span 64 bits; the model's user space stops at 2^63, so the
    /// walk uses the lower 1024 entries of the region-first table.</para>
    /// <para>The hardware walks the Linux tables and caches region and segment entries, so the table invalidate stays.</para>
    /// <para>exit_mmap: arch/s390/include/asm/pgtable.h <c>ptep_get_and_clear_full</c> with <c>full</c> writes
    /// <c>_PAGE_INVALID</c> without IPTE, and arch/s390/include/asm/tlb.h <c>tlb_flush</c> is <c>__tlb_flush_mm_lazy</c>,
    /// which flushes the mm only when <c>mm->context.flush_mm</c> was set by a <c>p?d_free_tlb</c>:
    /// <c>FullMm = FullMmFlush.Lazy</c>.</para>
    /// </remarks>
    [Architecture("s390x")]
    [TlbInvalidation(Invalidation.HardwareBroadcast, SynchronousOnClear = true, FullMm = FullMmFlush.Lazy)]
    [PageTables(5, PtrsPerPte = 256, PtrsPerPmd = 2048, PtrsPerPud = 2048, PtrsPerP4d = 2048, PtrsPerPgd = 2048)]
    [PteFormat(64, 64, SpecialBit = true)]
    [HardwareWalker(WalkerKind.CachesUpperLevels)]
    [Gather(GatherOptions.RcuTableFree | GatherOptions.NoGather | GatherOptions.MergeVmas)]
    [FastGup]
    public static partial class S390x
    {
    }
}
