namespace Shootdown.Archs.Catalog
{
    /// <summary>
    /// x86-64: IPI shootdown (<c>native_flush_tlb_multi</c>), 4 levels of 4 KiB tables, hardware walker with
    /// paging-structure caches, fast GUP.
    /// </summary>
    /// <remarks>
    /// arch/x86/Kconfig: <c>select MMU_GATHER_RCU_TABLE_FREE</c> (paravirt flushes by hypercall do not IPI, so fast GUP
    /// needs RCU there), <c>select HAVE_GUP_FAST</c>, <c>select ARCH_HAS_PTE_SPECIAL</c>; <c>PGTABLE_LEVELS</c> 4.
    /// </remarks>
    [Architecture("x86-64")]
    [TlbInvalidation(Invalidation.Ipi)]
    [PageTables(4)]
    [PteFormat(64, 64, SpecialBit = true)]
    [HardwareWalker(WalkerKind.CachesUpperLevels)]
    [Gather(GatherOptions.RcuTableFree)]
    [FastGup]
    public static partial class X86_64
    {
    }
}
