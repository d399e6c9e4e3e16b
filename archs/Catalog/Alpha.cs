namespace Shootdown.Archs.Catalog
{
    /// <summary>
    /// Alpha (SMP): IPI shootdown, 3 levels of 8 KiB tables, TLB misses filled by PALcode walking the Linux tables with
    /// interrupts off, no fast GUP, RCU table freeing since early 2026.
    /// </summary>
    /// <remarks>
    /// <para>arch/alpha/Kconfig, <c>config ALPHA</c>: no <c>HAVE_GUP_FAST</c>, no <c>ARCH_HAS_PTE_SPECIAL</c>, no
    /// <c>MMU_GATHER_*</c> vma options; <c>PGTABLE_LEVELS</c> 3; 8 KiB pages (<c>PAGE_SHIFT</c> 13), so 1024 entries a table
    /// and 43 bits of address. <c>select MMU_GATHER_RCU_TABLE_FREE</c> came with "alpha: mm: enable
    /// MMU_GATHER_RCU_TABLE_FREE" (Qi Zheng, v4 2/8 of "enable PT_RECLAIM on more 64-bit architectures", 2026-01-27, in
    /// akpm/mm; mainline commit id not verified), which also changes arch/alpha/include/asm/tlb.h (its diffstat: 3 lines;
    /// the hunks were not read). Era <see cref="LinuxEra.Stable"/>.</para>
    /// <para>The TLB is filled by PALcode: the DTB-miss flow reads the PTE through the virtually mapped page table
    /// (<c>VPTB</c>) and on a double miss walks the three levels itself. PALcode runs with interrupts off, so it is a
    /// software refill the shootdown IPI waits for (<c>[SoftwareTlbRefill]</c>); its virtual-page-table TLB entries map
    /// the page-table pages themselves, so the TLB does cache upper levels (<c>WalkerKind.CachesUpperLevels</c>).
    /// <c>flush_tlb_mm</c> (arch/alpha/kernel/smp.c) IPIs the other CPUs of the mm (<c>ipi_flush_tlb_mm</c>), so nothing
    /// needs the RCU delay; it is there for <c>CONFIG_PT_RECLAIM</c>. Not modelled: Alpha's ASN-based lazy flush of mms not
    /// running on a CPU, and its weak memory ordering (the explorer is sequentially consistent).</para>
    /// </remarks>
    [Architecture("alpha")]
    [TlbInvalidation(Invalidation.Ipi)]
    [PageTables(3, PageSize = 8192)]
    [PteFormat(64, 64)]
    [HardwareWalker(WalkerKind.CachesUpperLevels)]
    [SoftwareTlbRefill]
    [Gather(GatherOptions.RcuTableFree)]
    public static partial class Alpha
    {
    }
}
