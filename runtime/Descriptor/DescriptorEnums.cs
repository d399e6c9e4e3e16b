// Shared between the analyzer (netstandard2.0) and the runtime (net10.0): one definition of the descriptor's vocabulary.
using System;

namespace Shootdown
{
    /// <summary>How a CPU makes other CPUs drop a translation from their TLBs.</summary>
    public enum Invalidation
    {
        /// <summary>
        /// The initiator sends an inter-processor interrupt and waits until every target took it (x86 <c>flush_tlb_others</c>).
        /// A CPU with interrupts disabled has not taken it, so an interrupts-off walker holds the flush off.
        /// </summary>
        Ipi = 0,

        /// <summary>
        /// The hardware broadcasts the invalidation (arm64 <c>TLBI IS</c>, s390 <c>IPTE</c>, powerpc <c>tlbie</c>): nobody is
        /// interrupted, so an interrupts-off walker is not waited for and page tables need RCU freeing.
        /// </summary>
        HardwareBroadcast = 1,
    }

    /// <summary>
    /// What the arch's <c>tlb_flush()</c> does for a <c>tlb_gather_mmu_fullmm</c> gather (exit_mmap), where
    /// arch/*/include/asm/tlb.h departs from asm-generic.
    /// </summary>
    public enum FullMmFlush
    {
        /// <summary>
        /// Flush the whole mm whenever anything was cleared or freed (asm-generic <c>tlb_flush</c>: <c>flush_tlb_mm</c>;
        /// x86 <c>flush_tlb_mm_range(mm, 0, TLB_FLUSH_ALL, ...)</c>; riscv, powerpc likewise).
        /// </summary>
        FlushMm = 0,

        /// <summary>
        /// Flush the whole mm only when a page table was freed; leaf entries stay, because the ASID allocator does not hand
        /// the ASID out again before the whole TLB is invalidated (arm64 <c>tlb_flush</c>:
        /// <c>if (tlb->fullmm) { if (!last_level) flush_tlb_mm(tlb->mm); return; }</c>, <c>last_level = !tlb->freed_tables</c>).
        /// </summary>
        FreedTablesOnly = 1,

        /// <summary>
        /// As <see cref="FreedTablesOnly"/>, and a clear that invalidates by itself skips that under fullmm: s390
        /// <c>ptep_get_and_clear_full(..., full)</c> writes <c>_PAGE_INVALID</c> without IPTE, and <c>tlb_flush</c> is
        /// <c>__tlb_flush_mm_lazy</c>, which flushes the mm only when <c>mm->context.flush_mm</c> was set (by a
        /// <c>p?d_free_tlb</c>, here: a freed table).
        /// </summary>
        Lazy = 2,
    }

    /// <summary>Whether, and how, the hardware walks the Linux page tables.</summary>
    public enum WalkerKind
    {
        /// <summary>
        /// The MMU never reads the Linux tables (powerpc hash MMU, sparc64 TSB): a table can go without a TLB invalidate
        /// (<c>MMU_GATHER_NO_TABLE_INVALIDATE</c> is the intended use).
        /// </summary>
        None = 0,

        /// <summary>The MMU walks the Linux tables to fill its TLB but caches no upper-level entries.</summary>
        WalksTables = 1,

        /// <summary>
        /// The MMU walks the Linux tables and caches upper-level entries in a page-walk cache (x86 paging-structure caches,
        /// arm64 and ARM LPAE walk caches, powerpc radix PWC): freeing a table needs the walk cache invalidated first.
        /// </summary>
        CachesUpperLevels = 2,
    }

    /// <summary>How lockless fast GUP reads a PTE.</summary>
    public enum PteRead
    {
        /// <summary>One load (<c>ptep_get_lockless</c> on a PTE no wider than the machine word).</summary>
        SingleLoad = 0,

        /// <summary>
        /// Low word, barrier, high word, barrier, low word again; retry when the low word changed
        /// (<c>CONFIG_GUP_GET_PXX_LOW_HIGH</c>, for a 64-bit PTE on a 32-bit machine).
        /// </summary>
        LowHighSplit = 1,
    }

    /// <summary>The <c>MMU_GATHER_*</c> Kconfig options of <c>arch/Kconfig</c>.</summary>
    [Flags]
    public enum GatherOptions
    {
        /// <summary>No option: page tables are freed as pages through the page batch.</summary>
        None = 0,

        /// <summary><c>MMU_GATHER_TABLE_FREE</c>: page-table pages go through their own batch (<c>tlb_remove_table</c>).</summary>
        TableFree = 1 << 0,

        /// <summary><c>MMU_GATHER_RCU_TABLE_FREE</c> (selects TABLE_FREE): table batches are freed after a sched-RCU grace period.</summary>
        RcuTableFree = 1 << 1,

        /// <summary><c>MMU_GATHER_NO_TABLE_INVALIDATE</c>: no TLB invalidate before freeing tables (hardware never walks them).</summary>
        NoTableInvalidate = 1 << 2,

        /// <summary><c>MMU_GATHER_NO_RANGE</c> (selects MERGE_VMAS): no range tracking, every flush is of the whole mm.</summary>
        NoRange = 1 << 3,

        /// <summary><c>MMU_GATHER_MERGE_VMAS</c>: no flush at the end of each VMA; one flush covers adjacent VMAs.</summary>
        MergeVmas = 1 << 4,

        /// <summary><c>MMU_GATHER_NO_FLUSH_CACHE</c>: <c>tlb_start_vma</c> does no cache flush.</summary>
        NoFlushCache = 1 << 5,

        /// <summary>
        /// <c>MMU_GATHER_NO_GATHER</c> (depends on TABLE_FREE): pages are freed at once, no page batching; only safe where
        /// clearing a PTE itself invalidates every CPU (s390 <c>IPTE</c>).
        /// </summary>
        NoGather = 1 << 6,

        /// <summary><c>MMU_GATHER_PAGE_SIZE</c>: a change of page size within one gather forces a flush.</summary>
        PageSize = 1 << 7,
    }

    /// <summary>
    /// The Linux release whose table-freeing behaviour the model follows (docs/linux-eras.md). The default is
    /// <see cref="Stable"/>, the newest stable release; it is 0, so an era left unset anywhere (an attribute, a record, a
    /// descriptor id without an era field) is the documented default.
    /// </summary>
    public enum LinuxEra
    {
        /// <summary>
        /// Current stable (v7.1 and later): with <c>CONFIG_PT_RECLAIM</c> (<c>MMU_GATHER_RCU_TABLE_FREE</c> and no
        /// <c>HAVE_ARCH_TLB_REMOVE_TABLE</c>, which powerpc selects for its PTE fragments) <c>tlb_remove_table_one</c> frees
        /// the table through <c>call_rcu</c> (718b13861d22 for x86, then mm/mmu_gather.c for every such arch); without it
        /// it waits for a grace period (<c>tlb_remove_table_sync_rcu</c>) and frees.
        /// </summary>
        Stable = 0,

        /// <summary>
        /// The 2020 to 2023 kernels (v5.10 to v6.13): <c>tlb_remove_table_one</c> is <c>tlb_remove_table_sync_one</c>, an
        /// IPI to every CPU waited for, then <c>__tlb_remove_table</c>; no page-table reclaim.
        /// </summary>
        V6_1 = 1,

        /// <summary>
        /// linux-next: as <see cref="Stable"/>, and <c>tlb_table_flush_implies_ipi_broadcast()</c> lets an arch whose TLB
        /// flush is an IPI to every CPU skip the walker sync that flush already was ("mm/mmu_gather: prepare to skip
        /// redundant sync IPIs", 2026-03).
        /// </summary>
        Next = 2,
    }
}
