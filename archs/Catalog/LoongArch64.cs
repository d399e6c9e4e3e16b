namespace Shootdown.Archs.Catalog
{
    /// <summary>
    /// LoongArch64 with the default 16 KiB pages and 3 levels: IPI shootdown (<c>invtlb</c> is local), a software TLB refill
    /// handler, the hardware page-table walker of CPUs that have one, fast GUP, and RCU table freeing since early 2026.
    /// </summary>
    /// <remarks>
    /// <para>arch/loongarch/Kconfig, <c>config LOONGARCH</c>: <c>select ARCH_HAS_PTE_SPECIAL</c>, <c>select HAVE_GUP_FAST</c>,
    /// <c>select MMU_GATHER_MERGE_VMAS if MMU</c>; the "Page Table Layout" choice is <c>default 16KB_3LEVEL if 64BIT</c>
    /// (<c>select HAVE_PAGE_SIZE_16KB</c>, <c>select PGTABLE_3LEVEL</c>: 47 bits of user address, 2048 entries a table). Read
    /// in torvalds/linux at 009ee0c96416ecd0c568af72ee37965e06bde460.</para>
    /// <para><c>select MMU_GATHER_RCU_TABLE_FREE</c> came with "LoongArch: mm: enable MMU_GATHER_RCU_TABLE_FREE" (Qi Zheng,
    /// v4 3/8 of "enable PT_RECLAIM on more 64-bit architectures", 2026-01-27, in akpm/mm; mainline commit id not
    /// verified), which also turned arch/loongarch/include/asm/pgalloc.h's <c>__pmd_free_tlb</c> and <c>__pud_free_tlb</c>
    /// from <c>pmd_free((tlb)-&gt;mm, x)</c> / <c>pud_free(...)</c> into <c>tlb_remove_ptdesc((tlb), virt_to_ptdesc(x))</c>
    /// (<c>__pte_free_tlb</c> already was <c>tlb_remove_ptdesc</c>). Era <see cref="LinuxEra.Stable"/>: the kernels after
    /// that series. Before it, upper tables were freed at once, before the flush; the descriptor has no knob for that, so
    /// the earlier LoongArch kernels are not described here.</para>
    /// <para>Walkers: <c>handle_tlb_refill</c> (arch/loongarch/mm/tlbex.S, <c>lddir</c>/<c>ldpte</c>) walks the Linux
    /// tables in the refill exception; on CPUs with <c>cpu_has_ptw</c> <c>setup_ptwalker</c> (arch/loongarch/mm/tlb.c) sets
    /// <c>CSR_PWCTL1_PTW</c> and the hardware walks them instead, and <c>__update_tlb</c> returns early. One kernel runs on
    /// both, so the class has both walkers. Whether the PTW caches directory entries is not documented in Linux; the
    /// generic <c>tlb_needs_table_invalidate()</c> (true) covers either.</para>
    /// <para><c>flush_tlb_mm</c> (arch/loongarch/kernel/smp.c, as MIPS): <c>on_each_cpu_mask(mm_cpumask(mm),
    /// flush_tlb_mm_ipi, mm, 1)</c> unless the caller is the mm's only user, when it flushes locally and zeroes the other
    /// CPUs' <c>cpu_context</c> (no other CPU can then be walking the mm). The refill and fast GUP run with interrupts
    /// off, so the IPI alone already holds the tables; RCU table freeing is there for <c>CONFIG_PT_RECLAIM</c>.</para>
    /// </remarks>
    [Architecture("loongarch64")]
    [TlbInvalidation(Invalidation.Ipi)]
    [PageTables(3, PageSize = 16384)]
    [PteFormat(64, 64, SpecialBit = true)]
    [HardwareWalker(WalkerKind.WalksTables)]
    [SoftwareTlbRefill]
    [Gather(GatherOptions.RcuTableFree | GatherOptions.MergeVmas)]
    [FastGup]
    public static partial class LoongArch64
    {
    }
}
