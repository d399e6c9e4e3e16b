using System;

namespace Shootdown.Simulation
{
    // zap_page_range and what it calls (mm/memory.c): every leaf in range cleared and handed to the gather.
    public static partial class AddressSpace
    {
        /// <summary>
        /// <c>unmap_page_range</c>: <c>tlb_start_vma</c>, zap every leaf in range, <c>tlb_end_vma</c>. With
        /// <paramref name="reclaimPt"/> (<c>zap_details.reclaim_pt</c>, set by MADV_DONTNEED under <c>CONFIG_PT_RECLAIM</c>)
        /// a PTE table whose whole span was zapped and is left empty is unhooked and handed to the gather as well.
        /// </summary>
        public static void UnmapPageRange<TGather>(ref TGather tlb, Cpu cpu, Mm mm, Vma vma, ulong start, ulong end, bool reclaimPt = false)
            where TGather : struct, IMmuGather<TGather>
        {
            tlb.StartVma(vma);
            ZapLevel(ref tlb, cpu, mm, mm.Pgd, cpu.Machine.Geometry.Levels - 1, start, end, reclaimPt);
            tlb.EndVma(vma);
        }

        private static void ZapLevel<TGather>(ref TGather tlb, Cpu cpu, Mm mm, TableRef table, int level, ulong start, ulong end, bool reclaimPt)
            where TGather : struct, IMmuGather<TGather>
        {
            var m = cpu.Machine;
            var g = m.Geometry;
            var size = g.EntrySize(level);
            for (var addr = start; addr < end && addr >= start; addr = (addr & ~(size - 1)) + size)
            {
                var index = g.Index(level, addr);
                var entry = PageTables.Read(m, table, level, index);
                if (!Entry.IsPresent(entry)) continue;
                if ((entry & Entry.Leaf) == 0)
                {
                    var next = g.AddrEnd(addr, end, level);
                    var child = PageTables.Deref(m, entry, level - 1);
                    if (level > 1) ZapLevel(ref tlb, cpu, mm, child, level - 1, addr, next, reclaimPt);
                    else if (!reclaimPt || next - addr < size) ZapPteRange(ref tlb, cpu, mm, child, addr, next, default);
                    else ZapAndReclaimPteTable(ref tlb, cpu, mm, table, index, child, addr, next); // pte_table_reclaim_possible
                    continue;
                }
                if ((addr & (size - 1)) != 0 || end - addr < size)
                    throw new NotSupportedException($"[{start:x}, {end:x}) covers part of the huge leaf at {addr & ~(size - 1):x}; splitting it is not modeled");
                tlb.ChangePageSize(size); // zap_huge_pmd: tlb_change_page_size(tlb, HPAGE_PMD_SIZE)
                // zap_huge_pmd clears the entry under the PMD lock and queues the folio after dropping it.
                int pfn;
                mm.PageTableLock.Enter(cpu);
                try
                {
                    pfn = ZapLeaf(ref tlb, cpu, mm, table, level, index, addr, size);
                    // zap_deposited_table: the PTE table a collapse deposited goes with the huge PMD, by pte_free at
                    // once: no entry has pointed at it since the collapse, which waited out lockless walkers then.
                    if (pfn != 0 && mm.Deposited.Remove(addr, out var deposited))
                    {
                        m.Tables.Free(deposited, cpu.Id);
                        TableBatch.FragmentFreed(cpu, deposited);
                    }
                }
                finally
                {
                    mm.PageTableLock.Exit(cpu);
                }
                if (pfn != 0 && tlb.RemovePage(pfn, size)) tlb.FlushMmu(); // tlb_remove_page_size
            }
        }

        // zap_pte_range: the PTE lock is taken once for the table (pte_offset_map_lock). A full batch stops the loop; the
        // lock is dropped, the gather flushed (tlb_flush_mmu outside the lock) and the loop goes on under the lock again.
        // With a reclaim target, a pass that reaches the end without having stopped unhooks the table before dropping the
        // lock (zap_empty_pte_table; the model has one page-table lock, so ptl == pml) and returns true.
        private static bool ZapPteRange<TGather>(ref TGather tlb, Cpu cpu, Mm mm, TableRef table, ulong start, ulong end, ReclaimTarget reclaim)
            where TGather : struct, IMmuGather<TGather>
        {
            var unhooked = false;
            var direct = true; // direct_reclaim: false once a full batch broke the loop
            var m = cpu.Machine;
            var g = m.Geometry;
            var size = (ulong)g.PageSize;
            tlb.ChangePageSize(size); // zap_pte_range starts with tlb_change_page_size(PAGE_SIZE)
            var addr = start;
            while (addr < end && addr >= start)
            {
                var full = false;
                mm.PageTableLock.Enter(cpu);
                try
                {
                    for (; addr < end && addr >= start && !full; addr = (addr & ~(size - 1)) + size)
                    {
                        var index = g.Index(0, addr);
                        if (!Entry.IsPresent(PageTables.Read(m, table, 0, index))) continue;
                        var pfn = ZapLeaf(ref tlb, cpu, mm, table, 0, index, addr, size);
                        if (pfn != 0) full = tlb.RemovePage(pfn, size); // __tlb_remove_folio_pages, under the PTE lock
                    }
                    if (full) direct = false;
                    else if (reclaim.IsSet && direct) unhooked = UnhookPteTable(cpu, reclaim, start);
                }
                finally
                {
                    mm.PageTableLock.Exit(cpu);
                }
                if (full) tlb.FlushMmu();
            }
            return unhooked;
        }

        // One present leaf under the page-table lock: clear it, tell the gather, drop the rmap. The page to queue, or 0 when
        // there is none: another zap under the read lock cleared the entry first, or a special PTE has no struct page.
        private static int ZapLeaf<TGather>(ref TGather tlb, Cpu cpu, Mm mm, TableRef table, int level, int index, ulong addr, ulong size)
            where TGather : struct, IMmuGather<TGather>
        {
            var m = cpu.Machine;
            var entry = PageTables.Clear(m, table, level, index);
            if (!Entry.IsPresent(entry)) return 0;
            m.Trace.Record(EventKind.EntryCleared, cpu.Id, addr, (ulong)level);
            // s390 IPTE: clearing the entry invalidates it on every CPU before the instruction completes. Not under fullmm
            // with FullMmFlush.Lazy: ptep_get_and_clear_full(mm, addr, ptep, tlb->fullmm) then only writes _PAGE_INVALID.
            var d = m.Descriptor;
            if (d.SynchronousOnClear && !(tlb.FullMm && d.FullMmFlush == FullMmFlush.Lazy) && !m.Faulty(Simulation.Fault.ClearWithoutIpte))
                m.Shootdown.FlushRangeByBroadcast(cpu, mm, addr, addr + size, freedTables: false);
            tlb.RemoveTlbEntry(level, addr);
            if ((entry & Entry.Special) != 0) return 0; // no struct page behind a special PTE
            var pfn = PageTables.Pfn(m, entry);
            m.Memory.RemoveMap(pfn, cpu.Id); // page_remove_rmap / folio_remove_rmap_pmd
            return pfn;
        }
    }
}
