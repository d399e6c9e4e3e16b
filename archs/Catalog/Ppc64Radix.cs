namespace Shootdown.Archs.Catalog
{
    /// <summary>
    /// powerpc64 (Book3S) with the radix MMU: broadcast invalidation (<c>tlbie</c>), 4 levels, hardware walker with a page-walk
    /// cache, fast GUP.
    /// </summary>
    /// <remarks>
    /// <para>arch/powerpc/Kconfig, <c>config PPC</c>: <c>select MMU_GATHER_PAGE_SIZE</c>,
    /// <c>select MMU_GATHER_RCU_TABLE_FREE</c>, <c>select MMU_GATHER_MERGE_VMAS</c>, <c>select HAVE_GUP_FAST</c>,
    /// <c>select ARCH_HAS_PTE_SPECIAL</c>; <c>config PGTABLE_LEVELS</c> is 4 on 64-bit.</para>
    /// <para>arch/powerpc/include/asm/tlb.h: <c>#define tlb_needs_table_invalidate() radix_enabled()</c>: true here, since
    /// the radix walker reads the Linux tables and caches them in the PWC (the 2020 corruption when it was skipped).</para>
    /// <para><c>PPC_4K_PAGES</c>: with 4 KiB pages a radix PTE table fills its page (<c>RADIX_PTE_FRAG_NR</c> 1), and
    /// arch/powerpc/include/asm/book3s/64/radix-4k.h splits the address 13/9/9/9: the PGD has 8192 entries (64 KiB,
    /// <c>PtrsPerPgd = 8192</c>), 52 bits in all. With the
    /// default 64 KiB pages a radix PTE table is 256 bytes, 256 fragments per page, and PMD tables are fragments too:
    /// that configuration is <see cref="Ppc64Radix64k"/>.</para>
    /// <para>arch/powerpc/Kconfig (<c>config PPC</c>): <c>select HAVE_ARCH_TLB_REMOVE_TABLE</c> (v6.14 PT_RECLAIM series,
    /// "sparc64 and ppc will select HAVE_ARCH_TLB_REMOVE_TABLE, so PT_RECLAIM will not be enabled"): the arch frees its own tables.</para>
    /// </remarks>
    [Architecture("powerpc64-radix")]
    [TlbInvalidation(Invalidation.HardwareBroadcast)]
    [PageTables(4, PtrsPerPgd = 8192)]
    [PteFormat(64, 64, SpecialBit = true)]
    [HardwareWalker(WalkerKind.CachesUpperLevels)]
    [Gather(GatherOptions.RcuTableFree | GatherOptions.MergeVmas | GatherOptions.PageSize, ArchTlbRemoveTable = true)]
    [FastGup]
    public static partial class Ppc64Radix
    {
    }
}
