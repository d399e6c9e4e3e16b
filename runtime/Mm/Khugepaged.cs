using System;
using Shootdown.Simulation;

namespace Shootdown.Kernel
{
    /// <summary>
    /// How khugepaged disposes of the PTE table a collapse replaced. An anonymous collapse (<c>collapse_huge_page</c>)
    /// keeps it (<see cref="Deposit"/>) in every era; the file and shmem paths (<c>retract_page_tables</c>,
    /// <c>collapse_pte_mapped_thp</c>) free it, as <see cref="SyncThenFree"/> up to v6.4 and <see cref="Defer"/> since
    /// v6.5. The model has anonymous VMAs only, so a scenario that explores the freeing forms applies them to this
    /// collapse (<see cref="Khugepaged.RetractFree"/> picks the era's).
    /// </summary>
    public enum CollapseTableFree
    {
        /// <summary>
        /// The retract path of v6.1 (<c>collapse_and_free_pmd</c>): <c>tlb_remove_table_sync_one()</c> after
        /// <c>pmdp_collapse_flush</c>, then <c>pte_free</c> at once; the IPI waits out every interrupts-off walker
        /// (2ba99c5e0881, with 70cbc3cc78a9's PMD re-check in fast GUP).
        /// </summary>
        SyncThenFree,

        /// <summary>
        /// The retract path since v6.5 (<c>retract_page_tables</c>, <c>collapse_pte_mapped_thp</c>): <c>pmdp_collapse_flush</c>,
        /// <c>pmdp_get_lockless_sync</c>, then <c>pte_free_defer</c>: freed after an RCU grace period, without allocating.
        /// </summary>
        Defer,

        /// <summary>
        /// Free at once with no sync: the bug the two fixes above closed. Kept to show the race with fast GUP on
        /// broadcast-invalidation machines.
        /// </summary>
        FreeWithoutSync,

        /// <summary>
        /// <c>collapse_huge_page</c> in every era since 2ba99c5e0881 (v6.1): <c>tlb_remove_table_sync_one()</c> after
        /// <c>pmdp_collapse_flush</c>, then the emptied table is not freed but deposited under the huge PMD
        /// (<c>pgtable_trans_huge_deposit</c>), to be withdrawn by a split or freed with the huge PMD
        /// (<c>zap_huge_pmd</c>, <c>zap_deposited_table</c>).
        /// </summary>
        Deposit,
    }

    /// <summary>What <see cref="Khugepaged.Collapse"/> did.</summary>
    public enum CollapseResult
    {
        /// <summary>The range is one huge page now.</summary>
        Collapsed,
        /// <summary>No VMA, no PTE table or already huge there (<c>SCAN_VMA_CHECK</c>, <c>SCAN_PMD_NULL</c>).</summary>
        NothingToCollapse,
        /// <summary>No huge page could be allocated (<c>SCAN_ALLOC_HUGE_PAGE_FAIL</c>).</summary>
        NoMemory,
        /// <summary>A base page had a reference beyond its mappings, so the PMD was put back (<c>SCAN_PAGE_COUNT</c>).</summary>
        PagePinned,
    }

    /// <summary>khugepaged (mm/khugepaged.c): collapse a PMD's worth of base pages into one huge page.</summary>
    public static class Khugepaged
    {
        /// <summary>
        /// <c>collapse_huge_page</c> at the PMD-aligned <paramref name="address"/>: under <c>mmap_write_lock</c>, allocate
        /// the huge page, <c>pmdp_collapse_flush</c> (clear the PMD, flush the range and walk caches), wait out
        /// lockless walkers or defer, release the base pages, deposit or free the old PTE table as <paramref name="free"/>
        /// says (by default as <c>collapse_huge_page</c> does: deposit), then install the huge PMD. False when nothing is mapped there or no memory is left (nothing changes then).
        /// </summary>
        public static bool CollapseHugePage(Cpu cpu, Mm mm, ulong address, CollapseTableFree free = CollapseTableFree.Deposit) =>
            Collapse(cpu, mm, address, free) == CollapseResult.Collapsed;

        /// <summary><see cref="CollapseHugePage"/>, saying why nothing was collapsed.</summary>
        public static CollapseResult Collapse(Cpu cpu, Mm mm, ulong address, CollapseTableFree free = CollapseTableFree.Deposit)
        {
            ArgumentNullException.ThrowIfNull(cpu);
            ArgumentNullException.ThrowIfNull(mm);
            var m = cpu.Machine;
            var g = m.Geometry;
            var pmdSize = g.EntrySize(1);
            if ((address & (pmdSize - 1)) != 0) throw new ArgumentException($"address {address:x} is not aligned to {pmdSize:x}", nameof(address));
            if (!Enum.IsDefined(free)) throw new ArgumentOutOfRangeException(nameof(free), free, "no such way to free the table");
            if (m.Faulty(Fault.CollapseFreesWithoutSync)) free = CollapseTableFree.FreeWithoutSync; // before 2ba99c5e0881
            mm.MmapLock.EnterWriteLock(cpu);
            try
            {
                var vma = mm.FindVma(address);
                if (vma is null || vma.End - address < pmdSize || vma.Start > address
                    || (vma.Flags & (VmaFlags.Huge | VmaFlags.PfnMap | VmaFlags.MixedMap)) != 0)
                    return CollapseResult.NothingToCollapse; // hugepage_vma_revalidate: VM_NO_KHUGEPAGED is VM_SPECIAL (PFNMAP, MIXEDMAP, ...) | VM_HUGETLB
                if (!FindPmd(m, mm, address, out var pmdTable, out var pmdIndex)) return CollapseResult.NothingToCollapse;
                var pmd = PageTables.Read(m, pmdTable, 1, pmdIndex);
                if (!Entry.IsPresent(pmd) || (pmd & Entry.Leaf) != 0) return CollapseResult.NothingToCollapse;
                var huge = m.Memory.TryAllocateCompound(FrameUse.Data, g.Shift(1) - g.PageShift, cpu.Id); // alloc_charge_folio
                if (huge == 0) return CollapseResult.NoMemory;
                var ptes = PageTables.Deref(m, pmd, 0);

                // pmdp_collapse_flush: nothing may translate through the old table after this.
                mm.PageTableLock.Enter(cpu); // pmd_lock
                try { PageTables.Clear(m, pmdTable, 1, pmdIndex); }
                finally { mm.PageTableLock.Exit(cpu); }
                m.Trace.Record(EventKind.EntryCleared, cpu.Id, address, 1);
                var tables = !m.Faulty(Fault.CollapseFlushKeepsWalkCaches); // x86 flush_tlb_range said false before 3ef938c35035
                m.Shootdown.FlushRange(cpu, mm, address, address + pmdSize, freedTables: tables);
                // A fast GUP walker that read the PMD before the clear may still be in the PTE table; it backs off when
                // its re-check sees the PMD changed, but the table must outlive it.
                var d = m.Descriptor;
                if (free is CollapseTableFree.SyncThenFree or CollapseTableFree.Deposit && d.Has(GatherOptions.RcuTableFree))
                    m.Shootdown.SyncAllByIpi(cpu); // tlb_remove_table_sync_one (empty without RCU table freeing)
                else if (free == CollapseTableFree.Defer && d.PteWiderThanWord && d.Has(GatherOptions.RcuTableFree))
                    m.Shootdown.SyncAllByIpi(cpu); // pmdp_get_lockless_sync: a split PMD read must not straddle the clear

                // __collapse_huge_page_isolate (SCAN_PAGE_COUNT): a base page with a reference beyond its mappings is
                // pinned by someone (a fast GUP that grabbed it before the PMD went), so the collapse backs off and puts
                // the PMD back; a later grab finds the PMD changed (gup_fast's PMD re-check, 70cbc3cc78a9) and lets go.
                if (HasExtraReference(m, ptes))
                {
                    mm.PageTableLock.Enter(cpu);
                    try { PageTables.Write(m, pmdTable, 1, pmdIndex, pmd); } // pmd_populate: the old table is mapped again
                    finally { mm.PageTableLock.Exit(cpu); }
                    m.Memory.Put(huge, cpu.Id);
                    return CollapseResult.PagePinned;
                }

                // __collapse_huge_page_copy: the base pages go. The table is unhooked and only this CPU writes it, so
                // reading an entry is no step another CPU could interleave with; clearing a present one is.
                for (var i = 0; i < g.Entries(0); i++)
                {
                    if (!Entry.IsPresent(PageTables.LoadAtomic(m, ptes, 0, i))) continue; // ptep_get: pte_none
                    var pte = PageTables.Clear(m, ptes, 0, i);
                    if (!Entry.IsPresent(pte) || (pte & Entry.Special) != 0) continue;
                    var pfn = PageTables.Pfn(m, pte);
                    if (pfn == 0) continue;
                    m.Memory.RemoveMap(pfn, cpu.Id); // folio_remove_rmap_pte
                    m.Memory.Put(pfn, cpu.Id);
                }
                switch (free)
                {
                    case CollapseTableFree.Deposit:
                        break; // pgtable_trans_huge_deposit, with set_pmd_at below
                    case CollapseTableFree.Defer:
                        PteFreeDefer.Defer(cpu, ptes);
                        break;
                    default:
                        m.Tables.Free(ptes, cpu.Id); // pte_free
                        TableBatch.FragmentFreed(cpu, ptes);
                        break;
                }

                m.Memory.AddMap(huge); // folio_add_new_anon_rmap
                var flags = Entry.Leaf;
                if ((vma.Flags & VmaFlags.Write) != 0) flags |= Entry.Write;
                if ((vma.Flags & VmaFlags.Exec) != 0) flags |= Entry.Exec;
                mm.PageTableLock.Enter(cpu);
                try
                {
                    if (free == CollapseTableFree.Deposit) mm.Deposited[address] = ptes; // pgtable_trans_huge_deposit
                    PageTables.Write(m, pmdTable, 1, pmdIndex, PageTables.PageEntry(m, huge, flags)); // set_pmd_at
                }
                finally { mm.PageTableLock.Exit(cpu); }
                return CollapseResult.Collapsed;
            }
            finally
            {
                mm.MmapLock.ExitWriteLock(cpu);
            }
        }

        /// <summary>
        /// How the retract path of <paramref name="era"/> frees the PTE table it emptied (<c>collapse_and_free_pmd</c> in
        /// v6.1, <c>pte_free_defer</c> from v6.5 on, "mm/khugepaged: retract_page_tables() without mmap or vma lock").
        /// </summary>
        public static CollapseTableFree RetractFree(LinuxEra era) => era == LinuxEra.V6_1 ? CollapseTableFree.SyncThenFree : CollapseTableFree.Defer;

        // is_refcount_suitable: an anonymous page's references are its mappings (no swap cache here).
        private static bool HasExtraReference(Machine m, TableRef ptes)
        {
            for (var i = 0; i < m.Geometry.Entries(0); i++)
            {
                var pte = PageTables.LoadAtomic(m, ptes, 0, i);
                if (!Entry.IsPresent(pte) || (pte & Entry.Special) != 0) continue;
                var pfn = PageTables.Pfn(m, pte);
                if (pfn == 0) continue;
                var (references, mappings) = m.Memory.Counts(pfn);
                if (references > mappings) return true;
            }
            return false;
        }

        private static bool FindPmd(Machine m, Mm mm, ulong addr, out TableRef table, out int index)
        {
            var g = m.Geometry;
            table = mm.Pgd;
            index = 0;
            if (table.IsNone) return false;
            for (var level = g.Levels - 1; level > 1; level--)
            {
                var entry = PageTables.Read(m, table, level, g.Index(level, addr));
                if (!Entry.IsPresent(entry) || (entry & Entry.Leaf) != 0) return false;
                table = PageTables.Deref(m, entry, level - 1);
            }
            index = g.Index(1, addr);
            return true;
        }
    }
}
