namespace Shootdown.Archs.Catalog
{
    /// <summary>
    /// x86-64 with INVLPGB (AMD Zen 3 and later, v6.15 and later): an mm with a global ASID is flushed by hardware
    /// broadcast, every other mm by IPI shootdown; 5 levels of 4 KiB tables, hardware walker with paging-structure
    /// caches, fast GUP.
    /// </summary>
    /// <remarks>
    /// <para>arch/x86/mm/tlb.c <c>flush_tlb_mm_range</c>: <c>if (mm_global_asid(mm)) broadcast_tlb_flush(info); else if
    /// (cpumask_any_but(mm_cpumask(mm), cpu) &lt; nr_cpu_ids) { ... flush_tlb_multi(mm_cpumask(mm), info);
    /// consider_global_asid(mm); }</c> (read in v6.18's tlb.c). <c>broadcast_tlb_flush</c> issues INVLPGB for the global
    /// ASID and waits with TLBSYNC for the invalidation, not for any CPU: nobody is interrupted, so an interrupts-off fast
    /// GUP walk does not hold it off. <c>consider_global_asid</c> gives an mm a global ASID once it is active on four or
    /// more CPUs, so a running system has both kinds of mm (<c>GlobalAsidBroadcast = true</c>, <c>Mm.GlobalAsid</c>).</para>
    /// <para>Why that is safe: arch/x86/Kconfig <c>config X86</c> selects <c>MMU_GATHER_RCU_TABLE_FREE</c>
    /// unconditionally (a37259732a7d), so page tables are freed after a sched-RCU grace period that the walker's
    /// interrupts-off region holds off, whatever the flush waited for. The same class without it is SHD002, and the
    /// explorer finds the freed table in <c>munmap-global-asid-vs-gup-fast</c>. The rest is <see cref="X86_64"/>:
    /// <c>MMU_GATHER_MERGE_VMAS</c>, <c>HAVE_GUP_FAST</c>, <c>ARCH_HAS_PTE_SPECIAL</c>, <c>PGTABLE_LEVELS</c> 5.</para>
    /// </remarks>
    [Architecture("x86-64-invlpgb")]
    [TlbInvalidation(Invalidation.Ipi, GlobalAsidBroadcast = true)]
    [PageTables(5)]
    [PteFormat(64, 64, SpecialBit = true)]
    [HardwareWalker(WalkerKind.CachesUpperLevels)]
    [Gather(GatherOptions.RcuTableFree | GatherOptions.MergeVmas)]
    [FastGup]
    public static partial class X86_64Invlpgb
    {
    }
}
