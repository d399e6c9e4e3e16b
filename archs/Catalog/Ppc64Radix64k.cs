namespace Shootdown.Archs.Catalog
{
    /// <summary>
    /// powerpc64 (Book3S) with the radix MMU and 64 KiB pages, the ppc64le default: as <see cref="Ppc64Radix"/>, but PTE
    /// and PMD tables are fragments of a page, 256 PTE tables and 16 PMD tables to a page.
    /// </summary>
    /// <remarks>
    /// <para>arch/powerpc/Kconfig, <c>config PPC</c>: <c>select MMU_GATHER_PAGE_SIZE</c>,
    /// <c>select MMU_GATHER_RCU_TABLE_FREE</c>, <c>select MMU_GATHER_MERGE_VMAS</c>, <c>select HAVE_GUP_FAST</c>,
    /// <c>select ARCH_HAS_PTE_SPECIAL</c>, <c>select HAVE_ARCH_TLB_REMOVE_TABLE</c> (the arch frees its own tables, so
    /// no <c>CONFIG_PT_RECLAIM</c>); <c>config PPC_64K_PAGES</c> (<c>depends on 44x || PPC_BOOK3S_64</c>), the page size
    /// of the ppc64le distributions; <c>PGTABLE_LEVELS</c> 4.</para>
    /// <para>arch/powerpc/include/asm/tlb.h: <c>#define tlb_needs_table_invalidate() radix_enabled()</c>: true, the radix
    /// walker reads the Linux tables and caches them in the PWC.</para>
    /// <para>arch/powerpc/include/asm/book3s/64/radix-64k.h splits the address 13/9/9/5: a PTE table is 8 B &lt;&lt; 5 =
    /// 256 bytes, so <c>RADIX_PTE_FRAG_NR = PAGE_SIZE &gt;&gt; RADIX_PTE_FRAG_SIZE_SHIFT</c> = 256 (32 entries each,
    /// <c>PMD_SHIFT</c> 21); a PMD table is 4 KiB, <c>RADIX_PMD_FRAG_NR</c> = 16 (512 entries); the PUD is 4 KiB (512
    /// entries, from a slab cache in Linux, a page of its own here) and the PGD one 64 KiB page (8192 entries): 52 bits.</para>
    /// <para>arch/powerpc/mm/pgtable-frag.c (<c>pte_fragment_alloc</c>, <c>pte_fragment_free</c>, <c>pte_free_defer</c>)
    /// and arch/powerpc/mm/book3s64/pgtable.c (<c>pmd_fragment_alloc</c>, <c>pmd_fragment_free</c>): a page of fragments is
    /// counted by <c>pt_frag_refcount</c> and freed when it drops to zero; <c>pte_free_defer</c> marks the folio active,
    /// and the last <c>pte_fragment_free</c> then frees the page through the page's one <c>pt_rcu_head</c>.
    /// arch/powerpc/include/asm/book3s/64/pgalloc.h: <c>__pte_free_tlb</c> and <c>__pmd_free_tlb</c> flush the page-walk
    /// cache and hand the fragment to <c>pgtable_free_tlb</c>, that is the table batch.</para>
    /// <para>Era: current stable (the default). radix-64k.h and <c>pmd_fragment_alloc</c> predate v6.1 (their
    /// <c>struct page</c> forms, before the ptdesc conversion, were read too), so only <c>HAVE_ARCH_TLB_REMOVE_TABLE</c>
    /// ties the class to the newer kernels (docs/linux-eras.md).</para>
    /// </remarks>
    [Architecture("powerpc64-radix-64k")]
    [TlbInvalidation(Invalidation.HardwareBroadcast)]
    [PageTables(4, PageSize = 65536, FragmentsPerPage = 256, PmdFragmentsPerPage = 16, PtrsPerPud = 512)]
    [PteFormat(64, 64, SpecialBit = true)]
    [HardwareWalker(WalkerKind.CachesUpperLevels)]
    [Gather(GatherOptions.RcuTableFree | GatherOptions.MergeVmas | GatherOptions.PageSize, ArchTlbRemoveTable = true)]
    [FastGup]
    public static partial class Ppc64Radix64k
    {
    }
}
