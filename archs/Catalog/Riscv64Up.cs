namespace Shootdown.Archs.Catalog
{
    /// <summary>
    /// riscv64 built without <c>CONFIG_SMP</c>: one CPU, every flush local, fast GUP, and no RCU table freeing (Kconfig
    /// selects it only for SMP); tables go through the page batch.
    /// </summary>
    /// <remarks>
    /// <para>arch/riscv/Kconfig, <c>config RISCV</c>: <c>select MMU_GATHER_RCU_TABLE_FREE if SMP &amp;&amp; MMU</c> (off
    /// here), <c>select HAVE_GUP_FAST if MMU</c>, <c>select ARCH_HAS_PTE_SPECIAL</c>; <c>PGTABLE_LEVELS</c>
    /// <c>default 5 if 64BIT</c>. arch/riscv/include/asm/tlbflush.h, <c>#else /* CONFIG_SMP &amp;&amp; CONFIG_MMU */</c>:
    /// <c>flush_tlb_mm</c>, <c>flush_tlb_range</c> and <c>flush_tlb_all</c> are <c>local_flush_tlb_all()</c>
    /// (<c>sfence.vma</c>). Without <c>MMU_GATHER_TABLE_FREE</c> a table goes through <c>tlb_remove_page</c>, freed after
    /// the flush (include/asm-generic/tlb.h, <c>#else /* !CONFIG_MMU_GATHER_TABLE_FREE */</c>).</para>
    /// <para>On a uniprocessor mm/mmu_gather.c has no <c>CONFIG_SMP</c> branch of its own: it degenerates where the
    /// primitives do (<c>smp_call_function</c> in <c>tlb_remove_table_sync_one</c> calls nobody; the arch drops RCU
    /// table freeing). A walker there is an interrupt, or a task that preempted the unmapper, on the same CPU: fast GUP
    /// with interrupts off cannot be entered by the unmapper until it is done.</para>
    /// <para>How the model stands for it: the descriptor has no uniprocessor knob; the class is the SMP machine with IPI
    /// invalidation. Every uniprocessor interleaving is one of its schedules (the walker's CPU plays the interrupting
    /// context, the IPI that waits for its interrupts-off walk plays "the unmapper cannot run meanwhile", and its remote
    /// flush plays the one TLB's local flush), so a proof here covers the uniprocessor kernel; the converse need not
    /// hold, and a violation found here would need checking against one CPU. Not modelled: the one shared TLB itself.</para>
    /// </remarks>
    [Architecture("riscv64-up")]
    [TlbInvalidation(Invalidation.Ipi)]
    [PageTables(5)]
    [PteFormat(64, 64, SpecialBit = true)]
    [HardwareWalker(WalkerKind.CachesUpperLevels)]
    [FastGup]
    public static partial class Riscv64Up
    {
    }
}
