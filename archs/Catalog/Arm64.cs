namespace Shootdown.Archs.Catalog
{
    /// <summary>
    /// arm64: broadcast invalidation (<c>TLBI ...IS</c>), 4 levels of 4 KiB tables, hardware walker with walk caches,
    /// fast GUP.
    /// </summary>
    /// <remarks>
    /// <para>arch/arm64/Kconfig, <c>config ARM64</c>: <c>select MMU_GATHER_RCU_TABLE_FREE</c> (a broadcast TLBI waits for
    /// no interrupts-off walker, so fast GUP needs RCU table freeing), <c>select HAVE_GUP_FAST</c>,
    /// <c>select ARCH_HAS_PTE_SPECIAL</c>. arm64 selects neither <c>MMU_GATHER_MERGE_VMAS</c> nor
    /// <c>MMU_GATHER_NO_FLUSH_CACHE</c>: it flushes at every <c>tlb_end_vma</c>.</para>
    /// <para><c>ARM64_4K_PAGES</c> with <c>ARM64_VA_BITS_48</c>: <c>PGTABLE_LEVELS</c> 4
    /// (<c>default 4 if ARM64_4K_PAGES &amp;&amp; ARM64_VA_BITS_48</c>).</para>
    /// <para>The walk caches (intermediate table entries cached by the MMU) keep <c>tlb_needs_table_invalidate()</c> true;
    /// <c>tlb_flush</c> uses <c>last_level = !(tlb->freed_tables || ...)</c> so a freed table flushes every level.</para>
    /// <para>arch/arm64/include/asm/tlb.h <c>tlb_flush</c>: <c>if (tlb->fullmm) { if (!last_level) flush_tlb_mm(tlb->mm);
    /// return; }</c> ("the ASID allocator won't reallocate our ASID without invalidating the entire TLB"), so exit_mmap
    /// flushes only once a table was freed: <c>FullMm = FullMmFlush.FreedTablesOnly</c>.</para>
    /// </remarks>
    [Architecture("arm64")]
    [TlbInvalidation(Invalidation.HardwareBroadcast, FullMm = FullMmFlush.FreedTablesOnly)]
    [PageTables(4)]
    [PteFormat(64, 64, SpecialBit = true)]
    [HardwareWalker(WalkerKind.CachesUpperLevels)]
    [Gather(GatherOptions.RcuTableFree)]
    [FastGup]
    public static partial class Arm64
    {
    }
}
