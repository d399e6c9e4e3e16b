namespace Shootdown.Archs.Catalog
{
    /// <summary>
    /// 32-bit ARM with the classic (non-LPAE) MMU, ARMv7 SMP: broadcast invalidation, 2 levels, a PTE page holding two
    /// Linux tables and the two hardware tables behind them, hardware walker, no fast GUP, no table batch.
    /// </summary>
    /// <remarks>
    /// <para>arch/arm/Kconfig, <c>config ARM</c>: <c>select HAVE_GUP_FAST if ARM_LPAE</c>, <c>select ARCH_HAS_PTE_SPECIAL if
    /// ARM_LPAE</c>, <c>select MMU_GATHER_RCU_TABLE_FREE if SMP &amp;&amp; ARM_LPAE</c>: without LPAE none of them, and no
    /// <c>MMU_GATHER_*</c> option at all, so page tables go through the page batch and are freed after the flush.
    /// <c>config PGTABLE_LEVELS</c>: <c>default 2</c> without <c>ARM_LPAE</c>.</para>
    /// <para>arch/arm/include/asm/pgtable-2level.h: the hardware's first-level table has 4096 one-MiB entries and its
    /// second-level tables 256 entries, while Linux wants a PTE table to fill a page and needs young/dirty bits the
    /// hardware lacks. So a <c>pgd_t</c> is a pair of hardware entries (<c>PTRS_PER_PGD</c> 2048, <c>PGDIR_SHIFT</c> 21) and
    /// one 4 KiB PTE page holds "Linux pt 0" and "Linux pt 1" (512 entries, <c>PTRS_PER_PTE</c> 512) followed by "h/w pt 0"
    /// and "h/w pt 1"; <c>set_pte_ext</c> (<c>cpu_v7_set_pte_ext</c>) writes each PTE twice, Linux bits and hardware bits.
    /// The model walks the Linux half (<c>PtrsPerPte = 512</c> in a page that could hold 1024) and reads the translation
    /// from it; the hardware half, always written with it under the PTE lock, is not modelled, nor is the 16 KiB PGD's
    /// second word per entry (the model's PGD is 2048 four-byte entries).</para>
    /// <para>arch/arm/include/asm/tlb.h, <c>__pte_free_tlb</c>: "With the classic ARM MMU, a pte page has two corresponding
    /// pmd entries, each covering 1MB", so it widens the flush range to the pages either side of the 1 MiB boundary
    /// (<c>__tlb_adjust_range(tlb, addr - PAGE_SIZE, 2 * PAGE_SIZE)</c>) before <c>tlb_remove_ptdesc</c>;
    /// <c>__pmd_free_tlb</c> does nothing without LPAE (the PMD is folded). That widening is not modelled: the model
    /// flushes the range the gather tracked.</para>
    /// <para>ARMv7 with the multiprocessing extensions broadcasts TLB maintenance in hardware
    /// (<c>tlb_ops_need_broadcast()</c> is false; ARM11 MPCore needs the IPIs of arch/arm/kernel/smp_tlb.c and would be
    /// <see cref="Invalidation.Ipi"/>). Nothing walks the tables locklessly in software, so no RCU is needed.</para>
    /// </remarks>
    [Architecture("arm")]
    [TlbInvalidation(Invalidation.HardwareBroadcast)]
    [PageTables(2, PtrsPerPte = 512, PtrsPerPgd = 2048)]
    [PteFormat(32, 32)]
    [HardwareWalker(WalkerKind.CachesUpperLevels)]
    public static partial class ArmClassic
    {
    }
}
