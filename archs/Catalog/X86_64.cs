namespace Shootdown.Archs.Catalog
{
    /// <summary>
    /// x86-64: IPI shootdown (<c>native_flush_tlb_multi</c>), 5 levels of 4 KiB tables, hardware walker with
    /// paging-structure caches, fast GUP.
    /// </summary>
    /// <remarks>
    /// <para>arch/x86/Kconfig, <c>config X86</c>: <c>select MMU_GATHER_RCU_TABLE_FREE</c> (unconditional since
    /// a37259732a7d "x86/mm: Make MMU_GATHER_RCU_TABLE_FREE unconditional"; it was <c>if PARAVIRT</c>, because hypervisor
    /// flushes IPI nobody and fast GUP then needs RCU), <c>select MMU_GATHER_MERGE_VMAS</c>, <c>select HAVE_GUP_FAST</c>,
    /// <c>select ARCH_HAS_PTE_SPECIAL</c>.</para>
    /// <para><c>config PGTABLE_LEVELS</c>: <c>default 5 if X86_64</c> (5-level support is unconditional; without LA57 the
    /// p4d level is folded at run time, which the walk does not need to model).</para>
    /// <para>The hardware walks the Linux tables and keeps paging-structure caches, so <c>tlb_needs_table_invalidate()</c>
    /// keeps its default, true. Nothing here draws a note: RCU table freeing is needed by fast GUP under paravirt.</para>
    /// </remarks>
    [Architecture("x86-64")]
    [TlbInvalidation(Invalidation.Ipi)]
    [PageTables(5)]
    [PteFormat(64, 64, SpecialBit = true)]
    [HardwareWalker(WalkerKind.CachesUpperLevels)]
    [Gather(GatherOptions.RcuTableFree | GatherOptions.MergeVmas)]
    [FastGup]
    public static partial class X86_64
    {
    }
}
