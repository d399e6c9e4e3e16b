using System;

namespace Shootdown.Simulation
{
    /// <summary>
    /// A bug put back into the teardown code on purpose, for the mutation suite (docs/mutation.md): each one undoes a
    /// Linux fix or breaks one rule of include/asm-generic/tlb.h, so the explorer can show it would have caught it.
    /// Carried by one machine (<see cref="Machine.Faults"/>, set from the subject's ops for one execution), never
    /// static, so parallel explorations do not see each other's faults. With none set every check is a test of a
    /// zero field and nothing behaves differently.
    /// </summary>
    [Flags]
    internal enum Fault : long
    {
        None = 0,

        // 99baac21e458: a gather that finds another gather on its mm in flight (mm_tlb_flush_nested) goes on as if alone.
        NestedFlushIgnored = 1L << 0,

        // 7a30df49f63a: the nested finish flushes the gather's range after __tlb_reset_range(), which forgot freed_tables.
        NestedFlushDropsFreedTables = 1L << 1,

        // 2ba99c5e0881: khugepaged frees the collapsed PTE table with pte_free, no tlb_remove_table_sync_one.
        CollapseFreesWithoutSync = 1L << 2,

        // 70cbc3cc78a9: gup_fast_pte_range re-checks the PTE but not the PMD after grabbing the folio.
        GupSkipsPmdRecheck = 1L << 3,

        // d86564a2f085: tlb_remove_table's slow path (no batch page) frees the table without a TLB invalidate.
        TableOneSkipsInvalidate = 1L << 4,

        // 0ed1325967ab: tlb_needs_table_invalidate() false on a machine whose MMU walks the Linux tables.
        TableInvalidateSkipped = 1L << 5,

        // 97cf301fa42e: tlb_flush() turns a range with freed tables into a last-level flush (walk caches stay).
        RangeFlushIgnoresFreedTables = 1L << 6,

        // 285994a62c80: p?d_free_tlb hands the table to tlb_remove_table without telling the gather (no freed_tables).
        FreedTablesNotRecorded = 1L << 7,

        // 6137fed08232: tlb_flush() only for fullmm, ranges only at tlb_end_vma: shift_arg_pages invalidates nothing.
        FlushOnlyAtVmaEnd = 1L << 8,

        // 9e52fc2b50de: a paravirt flush by hypercall interrupts nobody, and page tables are not freed by RCU.
        ParavirtFlushWithoutRcuTableFree = 1L << 9,

        // The rule of gup_fast (mm/gup.c): local_irq_save around the lockless walk. Without it neither the flush IPI
        // nor the sched-RCU grace period waits for the walker.
        GupWithIrqsOn = 1L << 10,

        // gup_get_pte under GUP_GET_PXX_LOW_HIGH (mm/gup.c): a PTE wider than the word read with one plain load.
        SplitPteSingleLoad = 1L << 11,

        // gup_get_pte without its re-read of the low half: a writer between the two halves goes unnoticed.
        SplitPteNoRecheck = 1L << 12,

        // pte_free_defer (mm/pgtable-generic.c) frees at once instead of after a grace period.
        DeferFreesAtOnce = 1L << 13,

        // include/asm-generic/tlb.h's order: tlb_flush_mmu frees the batched pages before it invalidates.
        FreePagesBeforeFlush = 1L << 14,

        // tlb_remove_table_one frees without waiting for lockless walkers (no tlb_remove_table_sync_one, no RCU).
        TableOneWithoutSync = 1L << 15,

        // s390 ptep_get_and_clear without IPTE: MMU_GATHER_NO_GATHER frees pages no invalidation covered.
        ClearWithoutIpte = 1L << 16,

        // CONFIG_PT_RECLAIM (6375e95f381e, mm/memory.c zap_pte_range): the PTE table MADV_DONTNEED emptied is freed with pte_free, not
        // handed to the gather by pte_free_tlb, so no RCU grace period or flush covers the walkers still inside it.
        ReclaimFreesAtOnce = 1L << 17,

        // 718b13861d22 ("x86: mm: free page table pages by RCU instead of semi RCU", the PT_RECLAIM series): before it the table-batch
        // fallback, tlb_remove_table_one, synced by IPI (semi RCU), which a pte_offset_map walker under rcu_read_lock with
        // interrupts on does not hold off.
        ReclaimTableOneIpiSync = 1L << 18,
        // arm64 tlb_flush() with "if (tlb->fullmm) return;": exit_mmap frees page tables that a lazily loaded CPU's walk
        // cache still points at (the freed_tables test is what keeps that flush).
        FullMmSkipsTableFlush = 1L << 19,

        // 3ef938c35035: pmdp_collapse_flush's flush_tlb_range passes freed_tables=false though the PMD pointed to a PTE
        // table: lazy-TLB CPUs are not interrupted and walk caches keep the table (x86 flush_tlb_range).
        CollapseFlushKeepsWalkCaches = 1L << 20,

        // f36391d2790d: the TLB flush cross call does not wait for the other CPUs to run it (sparc64 batch flush).
        IpiFlushWithoutWait = 1L << 21,

        // a6f572084fbe: tlb_remove_table frees at once when mm_users < 2, forgetting CPUs that hold the mm lazily.
        TableFreeSingleUserAtOnce = 1L << 22,

        // 06824ba824b3: ARM's __pte_free_tlb was pte_free, so a page table went back to the allocator when the gather
        // met it, before the invalidate at tlb_finish_mmu (the same commit delayed page freeing on SMP and ARMv7).
        TablesFreedBeforeFlush = 1L << 23,

        // The order of tlb_table_flush (mm/mmu_gather.c) when tlb_remove_table fills the batch (MAX_TABLE_BATCH) in the
        // middle of an unmap: the batch is freed at once (__tlb_remove_table_free), with neither tlb_table_invalidate
        // nor the grace period (or IPI sync) that walkers still inside the tables need.
        TableFullFreesAtOnce = 1L << 24,

        // change_pte_range (mm/mprotect.c) or madvise_free_pte_range (mm/madvise.c) rewrites a PTE without
        // tlb_flush_pte_range: the gather's range never covers it, so tlb_finish_mmu has nothing to flush and the call
        // returns with writable entries still cached.
        RewriteWithoutFlush = 1L << 25,

        // Harmless: every page fills the batch (a bundle of one), so zap_pte_range flushes after each page.
        HarmlessBatchOfOne = 1L << 40,

        // Harmless: every tlb_flush_mmu_tlbonly flushes the whole mm with its walk caches.
        HarmlessFullMmFlush = 1L << 41,

        // gup_fast_pte_range (mm/gup.c) without any re-check after try_grab_folio_fast: a page freed and reallocated
        // between the PTE read and the grab (an ABA) is pinned though no longer mapped there. Bit 30: clear of the
        // faults numbered from 0 upwards.
        GupSkipsPteRecheck = 1L << 30,
    }
}
