namespace Shootdown.Archs.Catalog
{
    /// <summary>
    /// powerpc64 (Book3S) with the hash MMU: broadcast invalidation (<c>tlbie</c>), 4 levels of 64 KiB pages with 16 PTE
    /// fragments per page; the hardware walks the hashed page table, never the Linux tables; the hash fault handler does.
    /// </summary>
    /// <remarks>
    /// <para>arch/powerpc/Kconfig, <c>config PPC</c>: <c>select MMU_GATHER_PAGE_SIZE</c>,
    /// <c>select MMU_GATHER_RCU_TABLE_FREE</c>, <c>select MMU_GATHER_MERGE_VMAS</c>, <c>select HAVE_GUP_FAST</c>,
    /// <c>select ARCH_HAS_PTE_SPECIAL</c>; <c>PPC_64K_PAGES</c> (the Book3S-64 default); <c>PGTABLE_LEVELS</c> 4.</para>
    /// <para>arch/powerpc/include/asm/tlb.h: <c>#define tlb_needs_table_invalidate() radix_enabled()</c>, false under hash:
    /// freeing a table needs no TLB invalidate (<see cref="GatherOptions.NoTableInvalidate"/>, the intended use; an
    /// informational finding at most).</para>
    /// <para>PTE fragments: <c>H_PTE_FRAG_NR = PAGE_SIZE &gt;&gt; H_PTE_FRAG_SIZE_SHIFT</c> = 64 KiB / 4 KiB = 16, freed through
    /// the table batch (powerpc keeps its own <c>__tlb_remove_table</c>). A fragment holds 256 PTEs and, in its second
    /// half, their hash slot bits (arch/powerpc/include/asm/book3s/64/hash-64k.h: <c>H_PTE_INDEX_SIZE</c> 8):
    /// <c>PtrsPerPte = 256</c>, so <c>PMD_SHIFT</c> is 24 (16 MiB huge pages). PMD and PUD tables have 1024 entries
    /// (<c>H_PMD_INDEX_SIZE</c>, <c>H_PUD_INDEX_SIZE</c> 10), the PGD 256 (<c>H_PGD_INDEX_SIZE</c> 8): 52 bits of address,
    /// as Linux. Linux carves the 8 KiB PMD tables from shared pages (<c>pmd_frag</c>) and takes the others from slab
    /// caches; the model gives each its own 64 KiB page, so only PTE fragments share a page here.</para>
    /// <para><c>hash_page</c> walks the Linux tables with interrupts off (<c>find_linux_pte</c>) to fill the hashed page
    /// table: a software refill, like fast GUP protected by RCU table freeing.</para>
    /// <para>arch/powerpc/Kconfig (<c>config PPC</c>): <c>select HAVE_ARCH_TLB_REMOVE_TABLE</c> (v6.14 PT_RECLAIM series,
    /// "sparc64 and ppc will select HAVE_ARCH_TLB_REMOVE_TABLE, so PT_RECLAIM will not be enabled"): the arch frees its own tables.</para>
    /// </remarks>
    [Architecture("powerpc64-hash")]
    [TlbInvalidation(Invalidation.HardwareBroadcast)]
    [PageTables(4, PageSize = 65536, FragmentsPerPage = 16, PtrsPerPte = 256, PtrsPerPmd = 1024, PtrsPerPud = 1024, PtrsPerPgd = 256)]
    [PteFormat(64, 64, SpecialBit = true)]
    [HardwareWalker(WalkerKind.None)]
    [SoftwareTlbRefill]
    [Gather(GatherOptions.RcuTableFree | GatherOptions.NoTableInvalidate | GatherOptions.MergeVmas | GatherOptions.PageSize, ArchTlbRemoveTable = true)]
    [FastGup]
    public static partial class Ppc64Hash
    {
    }
}
