namespace Shootdown.Simulation
{
    /// <summary>
    /// The <c>struct mmu_gather</c> API that address-space code drives. Implemented by the reference gather (branching on
    /// the descriptor) and by every generated <c>MmuGather</c> (specialized). Address-space operations are generic over a
    /// struct implementing it, so the JIT compiles one copy per gather with direct calls.
    /// </summary>
    /// <typeparam name="TSelf">The implementing struct.</typeparam>
    public interface IMmuGather<TSelf> where TSelf : struct, IMmuGather<TSelf>
    {
        /// <summary><c>tlb_gather_mmu</c> (or <c>tlb_gather_mmu_fullmm</c> when <paramref name="fullmm"/>): bumps <c>tlb_flush_pending</c>.</summary>
        static abstract TSelf Begin(Cpu cpu, Mm mm, bool fullmm);

        /// <summary><c>tlb->fullmm</c>: the whole address space goes (exit_mmap), or a nested finish forced a full flush.</summary>
        bool FullMm { get; }

        /// <summary><c>tlb_start_vma</c>: note the VMA's flags and flush caches, unless fullmm.</summary>
        void StartVma(Vma vma);

        /// <summary><c>tlb_end_vma</c>: flush the TLB at the VMA boundary, unless fullmm or MERGE_VMAS.</summary>
        void EndVma(Vma vma);

        /// <summary>
        /// <c>tlb_free_vmas</c>, at the start of <c>free_pgtables</c>: if a VM_PFNMAP/VM_MIXEDMAP range still has a pending
        /// invalidate, flush it before the VMAs are unlinked (munmap against unmap_mapping_range), unless fullmm.
        /// </summary>
        void FreeVmas();

        /// <summary>
        /// A leaf entry at <paramref name="level"/> was cleared for <paramref name="address"/>: <c>tlb_remove_tlb_entry</c>
        /// (level 0), <c>tlb_remove_pmd_tlb_entry</c> (1) or <c>tlb_remove_pud_tlb_entry</c> (2).
        /// </summary>
        void RemoveTlbEntry(int level, ulong address);

        /// <summary><c>tlb_change_page_size</c>: a different page size ahead; flushes first when MMU_GATHER_PAGE_SIZE.</summary>
        void ChangePageSize(ulong pageSize);

        /// <summary>
        /// <c>__tlb_remove_page_size</c>: queue page <paramref name="pfn"/> of <paramref name="pageSize"/> bytes for freeing
        /// after the flush. True when the batch is full and the caller must <see cref="FlushMmu"/> before more.
        /// </summary>
        bool RemovePage(int pfn, ulong pageSize);

        /// <summary>
        /// <c>pte_free_tlb</c>, <c>pmd_free_tlb</c>, <c>pud_free_tlb</c>, <c>p4d_free_tlb</c>: the entry at
        /// <paramref name="level"/>+1 that pointed at <paramref name="table"/> was cleared; free the table after the flush.
        /// </summary>
        void FreeTable(int level, TableRef table, ulong address);

        /// <summary><c>tlb_flush_mmu</c>: invalidate, then free tables, then free pages.</summary>
        void FlushMmu();

        /// <summary><c>tlb_finish_mmu</c>: the nested-flush rule, a last flush, drop <c>tlb_flush_pending</c>.</summary>
        void Finish();
    }
}
