namespace Shootdown.Archs.Catalog
{
    /// <summary>
    /// sparc64 (SMP): cross-call (IPI) TLB flushes, 4 levels of 8 KiB pages, a TSB the MMU searches instead of the Linux
    /// tables, and a TSB-miss handler that walks the Linux tables with interrupts off; no fast GUP.
    /// </summary>
    /// <remarks>
    /// <para>arch/sparc/Kconfig, <c>config SPARC64</c>: <c>select MMU_GATHER_RCU_TABLE_FREE if SMP</c>,
    /// <c>select MMU_GATHER_MERGE_VMAS</c>, <c>select MMU_GATHER_NO_FLUSH_CACHE</c>, <c>select ARCH_HAS_PTE_SPECIAL</c>;
    /// <c>config PGTABLE_LEVELS</c> <c>default 4 if 64BIT</c>; 8 KiB pages (<c>PAGE_SHIFT</c> 13).</para>
    /// <para>arch/sparc/include/asm/tlb_64.h: <c>#define tlb_needs_table_invalidate() (false)</c> under
    /// <c>MMU_GATHER_RCU_TABLE_FREE</c>, "SPARC64's hardware TLB fill does not use the Linux page-tables"
    /// (<see cref="GatherOptions.NoTableInvalidate"/>, its intended use).</para>
    /// <para>No <c>HAVE_GUP_FAST</c>: <c>select HAVE_FAST_GUP if SPARC64</c> was removed in 2019 after the generic GUP
    /// conversion broke sparc64, and never came back. RCU table freeing is still needed for the TSB-miss handler
    /// (<c>tsb_miss_page_table_walk</c>), the software refill that reads the tables with interrupts off.</para>
    /// <para>arch/sparc/Kconfig (<c>config SPARC64</c>): <c>select HAVE_ARCH_TLB_REMOVE_TABLE</c> (v6.14 PT_RECLAIM series,
    /// "sparc64 and ppc will select HAVE_ARCH_TLB_REMOVE_TABLE, so PT_RECLAIM will not be enabled"): the arch frees its own tables.</para>
    /// </remarks>
    [Architecture("sparc64")]
    [TlbInvalidation(Invalidation.Ipi)]
    [PageTables(4, PageSize = 8192)]
    [PteFormat(64, 64, SpecialBit = true)]
    [HardwareWalker(WalkerKind.None)]
    [SoftwareTlbRefill]
    [Gather(GatherOptions.RcuTableFree | GatherOptions.NoTableInvalidate | GatherOptions.MergeVmas | GatherOptions.NoFlushCache, ArchTlbRemoveTable = true)]
    public static partial class Sparc64
    {
    }
}
