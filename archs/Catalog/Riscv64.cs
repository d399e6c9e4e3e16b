namespace Shootdown.Archs.Catalog
{
    /// <summary>
    /// riscv64: IPI shootdown by default (SBI remote fences when the IPI itself goes through SBI), 5 levels of 4 KiB
    /// tables, hardware walker that may cache non-leaf entries, fast GUP.
    /// </summary>
    /// <remarks>
    /// <para>arch/riscv/Kconfig, <c>config RISCV</c>: <c>select MMU_GATHER_RCU_TABLE_FREE if SMP &amp;&amp; MMU</c>,
    /// <c>select HAVE_GUP_FAST if MMU</c>, <c>select ARCH_HAS_PTE_SPECIAL</c>; <c>config PGTABLE_LEVELS</c>
    /// <c>default 5 if 64BIT</c> (Sv57; Sv48 and Sv39 fold levels at run time).</para>
    /// <para><c>riscv_use_sbi_for_rfence()</c> picks <c>sbi_remote_sfence_vma_asid</c> over IPIs where IPIs are SBI calls;
    /// an SBI fence interrupts no walker, which is why RCU table freeing is selected even though the default flush is an
    /// IPI (arch/riscv/mm/tlbflush.c). Since v6.14 every level goes through <c>tlb_remove_ptdesc</c>, the table batch.</para>
    /// <para><c>sfence.vma</c> also drops cached non-leaf entries, so the table invalidate stays.</para>
    /// </remarks>
    [Architecture("riscv64")]
    [TlbInvalidation(Invalidation.Ipi)]
    [PageTables(5)]
    [PteFormat(64, 64, SpecialBit = true)]
    [HardwareWalker(WalkerKind.CachesUpperLevels)]
    [Gather(GatherOptions.RcuTableFree)]
    [FastGup]
    public static partial class Riscv64
    {
    }
}
