namespace Shootdown.Archs.Catalog
{
    /// <summary>
    /// i386 with <c>X86_PAE</c>: IPI shootdown, 3 levels of 4 KiB tables with 64-bit entries on a 32-bit machine, fast GUP
    /// with the low/high split read.
    /// </summary>
    /// <remarks>
    /// <para>arch/x86/Kconfig, <c>config X86</c>: <c>select GUP_GET_PXX_LOW_HIGH if X86_PAE</c> (a PTE is two 32-bit loads,
    /// read low/high/low by <c>ptep_get_lockless</c> and <c>pmdp_get_lockless</c>), <c>select HAVE_GUP_FAST</c>,
    /// <c>select ARCH_HAS_PTE_SPECIAL</c>, <c>select MMU_GATHER_RCU_TABLE_FREE</c>, <c>select MMU_GATHER_MERGE_VMAS</c>.</para>
    /// <para><c>config PGTABLE_LEVELS</c>: <c>default 3 if X86_PAE</c> (pgd of four PDPTEs, pmd, pte; p4d and pud folded).</para>
    /// <para>arch/x86/mm/pgtable.c <c>___pmd_free_tlb</c>: <c>#ifdef CONFIG_X86_PAE tlb->need_flush_all = 1;</c> ("any
    /// changes to the top page-directory-pointer-table entries need a full cr3 reload to flush"), so once a PMD table is
    /// freed x86's <c>tlb_flush()</c> flushes <c>0</c> to <c>TLB_FLUSH_ALL</c> (<c>PmdFreeFlushesAll</c>).</para>
    /// <para>Writers keep the split read sound: <c>native_set_pte</c> stores the high half before the low half and
    /// <c>native_ptep_get_and_clear</c> clears the low half first, so a low half that did not change proves its high half.</para>
    /// </remarks>
    [Architecture("x86-pae")]
    [TlbInvalidation(Invalidation.Ipi)]
    [PageTables(3)]
    [PteFormat(64, 32, SpecialBit = true)]
    [HardwareWalker(WalkerKind.CachesUpperLevels)]
    [Gather(GatherOptions.RcuTableFree | GatherOptions.MergeVmas, PmdFreeFlushesAll = true)]
    [FastGup(PteRead.LowHighSplit)]
    public static partial class X86Pae
    {
    }
}
