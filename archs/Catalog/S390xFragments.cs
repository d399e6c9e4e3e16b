namespace Shootdown.Archs.Catalog
{
    /// <summary>
    /// s390x as Linux ran it up to v6.7: two 2 KiB PTE tables share each 4 KiB page, the configuration
    /// <c>MMU_GATHER_TABLE_FREE</c> was introduced for and the one whose <c>pte_free_defer</c> needed one RCU head per
    /// page (<c>pte_free_defer</c> in arch/s390/mm/pgalloc.c before v6.8). Otherwise as <see cref="S390x"/>.
    /// </summary>
    /// <remarks>
    /// <para>arch/s390/Kconfig as for <see cref="S390x"/>: <c>select MMU_GATHER_MERGE_VMAS</c>,
    /// <c>select MMU_GATHER_NO_GATHER</c>, <c>select MMU_GATHER_RCU_TABLE_FREE</c>, <c>select HAVE_GUP_FAST</c>,
    /// <c>select ARCH_HAS_PTE_SPECIAL</c>. arch/s390/mm/pgalloc.c before d08d4e7cd6bf ("s390/mm: use full 4KB page for
    /// 2KB PTE", v6.8): <c>page_table_alloc</c> hands out 2 KiB halves of a page tracked by a fragment mask in
    /// <c>page->_refcount</c>, with pending-free bits for halves on their way through <c>tlb_remove_table</c>. A half
    /// holds 256 entries, as <c>PTRS_PER_PTE</c> says; region and segment tables are 16 KiB, 2048 entries
    /// (<c>CRST_ALLOC_ORDER</c> 2).</para>
    /// <para>Era <see cref="LinuxEra.V6_1"/>: the kernels that had 2 KiB tables (docs/linux-eras.md).</para>
    /// </remarks>
    [Architecture("s390x-2k", Linux = LinuxEra.V6_1)]
    // exit_mmap as in s390x (ptep_get_and_clear_full without IPTE, __tlb_flush_mm_lazy): the same in v6.1.
    [TlbInvalidation(Invalidation.HardwareBroadcast, SynchronousOnClear = true, FullMm = FullMmFlush.Lazy)]
    [PageTables(5, FragmentsPerPage = 2, PtrsPerPte = 256, PtrsPerPmd = 2048, PtrsPerPud = 2048, PtrsPerP4d = 2048, PtrsPerPgd = 2048)]
    [PteFormat(64, 64, SpecialBit = true)]
    [HardwareWalker(WalkerKind.CachesUpperLevels)]
    [Gather(GatherOptions.RcuTableFree | GatherOptions.NoGather | GatherOptions.MergeVmas)]
    [FastGup]
    public static partial class S390xFragments
    {
    }
}
