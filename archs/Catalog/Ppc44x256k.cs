namespace Shootdown.Archs.Catalog
{
    /// <summary>
    /// 32-bit powerpc 44x (Book-E, PPC440/460) with <c>CONFIG_PPC_256K_PAGES</c>: 256 KiB pages, 2 levels, 64-bit PTEs on
    /// a 32-bit machine, a software-loaded TLB, and one CPU (44x without 47x has no <c>CONFIG_SMP</c>).
    /// </summary>
    /// <remarks>
    /// <para>arch/powerpc/Kconfig: <c>config PPC_256K_PAGES</c>, "256k page size (Requires non-standard binutils
    /// settings)", <c>depends on 44x &amp;&amp; !PPC_47x</c>, <c>select HAVE_PAGE_SIZE_256KB</c>; <c>config PPC</c>:
    /// <c>select MMU_GATHER_PAGE_SIZE</c>, <c>select MMU_GATHER_RCU_TABLE_FREE</c>, <c>select MMU_GATHER_MERGE_VMAS</c>,
    /// <c>select HAVE_GUP_FAST</c> (<c>HAVE_FAST_GUP</c> before v6.10), <c>select ARCH_HAS_PTE_SPECIAL</c>, all
    /// unconditional; <c>PGTABLE_LEVELS</c> <c>default 2 if !PPC64</c>. arch/powerpc/platforms/Kconfig.cputype:
    /// <c>config 44x</c> selects <c>PHYS_64BIT</c>, and <c>PTE_64BIT</c> is <c>default y if PHYS_64BIT</c>: 64-bit PTEs;
    /// <c>config SMP</c> <c>depends on PPC_BOOK3S || PPC_E500 || PPC_47x</c>, so this configuration is uniprocessor.</para>
    /// <para>Geometry, as in Linux: arch/powerpc/include/asm/page_32.h, <c>#if defined(CONFIG_PPC_256K_PAGES) || ...</c>:
    /// <c>PTE_SHIFT = PAGE_SHIFT - PTE_T_LOG2 - 2</c> ("1/4 of a page") = 18 - 3 - 2 = 13, so a PTE table is 8192
    /// entries (64 KiB) spanning 2 GiB; arch/powerpc/include/asm/nohash/32/pgtable.h: <c>PGDIR_SHIFT = PAGE_SHIFT +
    /// PTE_INDEX_SIZE</c> = 31 and <c>PGD_INDEX_SIZE = 32 - PGDIR_SHIFT</c> = 1: a PGD of 2 entries. PTE tables come
    /// from <c>pte_fragment_alloc</c> (arch/powerpc/include/asm/pgalloc.h, every powerpc, PPC32 included), but no
    /// nohash/32 header for 44x defines <c>PTE_FRAG_NR</c> (only mmu-8xx.h does, 4 for 16K pages), so
    /// arch/powerpc/include/asm/pgtable.h defaults it to 1 with <c>PTE_FRAG_SIZE_SHIFT = PAGE_SHIFT</c>: each PTE table
    /// has a 256 KiB page of its own, three quarters unused, and no fragments (<c>FragmentsPerPage</c> 1). With only two
    /// PTE-table spans in the address space the explorer's scenarios put the contended mapping at 0 and its neighbour at
    /// 2 GiB (runtime/Explorer/ScenarioSetup.cs, <c>Target</c>). The 256 KiB page also decides the batch sizes
    /// (<c>MAX_GATHER_BATCH</c>, <c>MAX_TABLE_BATCH</c> of a 256 KiB page of 32-bit pointers). Of those,
    /// include/asm-generic/tlb.h <c>MAX_GATHER_BATCH_COUNT</c> = 10000UL / <c>MAX_GATHER_BATCH</c> = 10000 / 65533 = 0,
    /// so <c>tlb_next_batch</c> (mm/mmu_gather.c) never adds a batch page (<c>tlb->batch_count ==
    /// MAX_GATHER_BATCH_COUNT</c> from the start): this gather holds the 8-entry bundle (<c>MMU_GATHER_BUNDLE</c>) and
    /// flushes every 8 pages, which only a page this large does. The model also makes PGD entries as wide as PTEs (Linux's
    /// <c>pgd_t</c> is 32 bits) and gives the PGD a page, where Linux takes it from <c>PGT_CACHE(PGD_INDEX_SIZE)</c>; and
    /// its kernel half is PGD entry 1, where Linux's <c>TASK_SIZE</c> 0xc0000000 (arch/powerpc/Kconfig) leaves the user
    /// part of that entry too.</para>
    /// <para>TLB: the 44x TLB is loaded by software: the TLB miss handlers of arch/powerpc/kernel/head_44x.S walk the PGD
    /// and PTE table (the <c>PPC44x_PGD_OFF_SHIFT</c> and <c>PPC44x_PTE_ADD_SHIFT</c> of nohash/32/mmu-44x.h) with
    /// exceptions off and write the entry with <c>tlbwe</c>; nothing caches an upper level (<c>HardwareWalker(None)</c>,
    /// <c>SoftwareTlbRefill</c>). arch/powerpc/include/asm/tlb.h: <c>tlb_needs_table_invalidate()</c> is
    /// <c>radix_enabled()</c>, false here (<see cref="GatherOptions.NoTableInvalidate"/>). arch/powerpc/include/asm/nohash/tlbflush.h,
    /// <c>#else</c> of <c>CONFIG_SMP</c>: <c>flush_tlb_mm</c> is <c>local_flush_tlb_mm</c>, every flush local.
    /// <c>HAVE_ARCH_TLB_REMOVE_TABLE</c> as on every powerpc (<see cref="Ppc64Hash"/>); era <see cref="LinuxEra.Stable"/>.</para>
    /// <para>One CPU, modelled as in <see cref="Riscv64Up"/>: the SMP machine with IPI invalidation, whose schedules include
    /// every uniprocessor interleaving (the walker's CPU plays the interrupted context). Two choices follow from it. The
    /// 64-bit PTE is read in two words by fast GUP and the refill, but with interrupts off on the only CPU no writer can
    /// run between them, so the read cannot tear: <c>AtomicLoadBits = 64</c> says that (powerpc does not select
    /// <c>GUP_GET_PXX_LOW_HIGH</c>; on SMP this would be the SHD005 race). And arch/powerpc/include/asm/nohash/pgalloc.h,
    /// without <c>CONFIG_SMP</c>, has <c>pgtable_free_tlb</c> call <c>pgtable_free</c> at once instead of
    /// <c>tlb_remove_table</c>: the one CPU cannot be walking the table it frees. The model cannot free a table before the
    /// flush without a second CPU seeing it, so it follows the <c>CONFIG_SMP</c> branch of the same header (the table
    /// batch, freed after a grace period), which is what a proof here covers; the immediate free is not modelled.</para>
    /// </remarks>
    [Architecture("powerpc-44x-256k")]
    [TlbInvalidation(Invalidation.Ipi)]
    [PageTables(2, PageSize = 262144, PtrsPerPte = 8192, PtrsPerPgd = 2)]
    [PteFormat(64, 32, SpecialBit = true, AtomicLoadBits = 64)]
    [HardwareWalker(WalkerKind.None)]
    [SoftwareTlbRefill]
    [Gather(GatherOptions.RcuTableFree | GatherOptions.NoTableInvalidate | GatherOptions.MergeVmas | GatherOptions.PageSize, ArchTlbRemoveTable = true)]
    [FastGup]
    public static partial class Ppc44x256k
    {
    }
}
