using System;

namespace Shootdown.Simulation
{
    // The walk mprotect and MADV_FREE share: every present leaf of a range rewritten in place under its page-table lock
    // and handed to the gather, so that tlb_finish_mmu invalidates what other CPUs cached of the old entry.
    public static partial class AddressSpace
    {
        /// <summary>
        /// Rewrites every present leaf of [<paramref name="start"/>, <paramref name="end"/>) in <paramref name="vma"/>:
        /// <paramref name="clear"/> flags off, <paramref name="set"/> on. Each entry is cleared, then set (mprotect's
        /// <c>ptep_modify_prot_start</c> / <c>ptep_modify_prot_commit</c>; MADV_FREE's <c>ptep_get_and_clear_full</c> /
        /// <c>set_pte_at</c>, now <c>clear_young_dirty_ptes</c>), so a walker in between sees no entry. Then the gather
        /// is told: <c>tlb_flush_pte_range</c> / <c>tlb_remove_tlb_entry</c> for a PTE, <c>tlb_flush_pmd_range</c> /
        /// <c>tlb_remove_pmd_tlb_entry</c> for a huge PMD. Framed by <c>tlb_start_vma</c> / <c>tlb_end_vma</c> as
        /// <c>change_protection_range</c> and <c>madvise_free_single_vma</c> are. Returns how many leaves changed.
        /// </summary>
        internal static int RewriteLeaves<TGather>(ref TGather tlb, Cpu cpu, Mm mm, Vma vma, ulong start, ulong end, ulong clear, ulong set)
            where TGather : struct, IMmuGather<TGather>
        {
            tlb.StartVma(vma);
            var changed = RewriteLevel(ref tlb, cpu, mm, mm.Pgd, cpu.Machine.Geometry.Levels - 1, start, end, clear, set);
            tlb.EndVma(vma);
            return changed;
        }

        private static int RewriteLevel<TGather>(ref TGather tlb, Cpu cpu, Mm mm, TableRef table, int level, ulong start, ulong end, ulong clear, ulong set)
            where TGather : struct, IMmuGather<TGather>
        {
            var m = cpu.Machine;
            var g = m.Geometry;
            var size = g.EntrySize(level);
            var changed = 0;
            for (var addr = start; addr < end && addr >= start; addr = (addr & ~(size - 1)) + size)
            {
                var index = g.Index(level, addr);
                var entry = PageTables.Read(m, table, level, index);
                if (!Entry.IsPresent(entry)) continue;
                var next = g.AddrEnd(addr, end, level);
                if ((entry & Entry.Leaf) == 0)
                {
                    var child = PageTables.Deref(m, entry, level - 1);
                    changed += level > 1
                        ? RewriteLevel(ref tlb, cpu, mm, child, level - 1, addr, next, clear, set)
                        : RewritePteRange(ref tlb, cpu, mm, child, addr, next, clear, set);
                    continue;
                }
                if ((addr & (size - 1)) != 0 || end - addr < size)
                    throw new NotSupportedException($"[{start:x}, {end:x}) covers part of the huge leaf at {addr & ~(size - 1):x}; splitting it is not modeled");
                tlb.ChangePageSize(size); // change_huge_pmd / madvise_free_huge_pmd: tlb_change_page_size(tlb, HPAGE_PMD_SIZE)
                mm.PageTableLock.Enter(cpu);
                try
                {
                    if (RewriteLeaf(ref tlb, cpu, mm, table, level, index, addr, size, clear, set)) changed++;
                }
                finally
                {
                    mm.PageTableLock.Exit(cpu);
                }
            }
            return changed;
        }

        // change_pte_range / madvise_free_pte_range: one pte_offset_map_lock for the whole table.
        private static int RewritePteRange<TGather>(ref TGather tlb, Cpu cpu, Mm mm, TableRef table, ulong start, ulong end, ulong clear, ulong set)
            where TGather : struct, IMmuGather<TGather>
        {
            var m = cpu.Machine;
            var g = m.Geometry;
            var size = (ulong)g.PageSize;
            var changed = 0;
            tlb.ChangePageSize(size);
            mm.PageTableLock.Enter(cpu);
            try
            {
                for (var addr = start; addr < end && addr >= start; addr += size)
                {
                    if (RewriteLeaf(ref tlb, cpu, mm, table, 0, g.Index(0, addr), addr, size, clear, set)) changed++;
                }
            }
            finally
            {
                mm.PageTableLock.Exit(cpu);
            }
            return changed;
        }

        private static bool RewriteLeaf<TGather>(ref TGather tlb, Cpu cpu, Mm mm, TableRef table, int level, int index, ulong addr, ulong size, ulong clear, ulong set)
            where TGather : struct, IMmuGather<TGather>
        {
            var m = cpu.Machine;
            var old = PageTables.Clear(m, table, level, index); // ptep_modify_prot_start: ptep_get_and_clear
            if (!Entry.IsPresent(old)) return false;
            m.Trace.Record(EventKind.EntryCleared, cpu.Id, addr, (ulong)level);
            // s390 IPTE: the invalidation of the old entry on every CPU is part of clearing it (ptep_xchg_lazy), as in
            // ZapLeaf.
            if (m.Descriptor.SynchronousOnClear) m.Shootdown.FlushRangeByBroadcast(cpu, mm, addr, addr + size, freedTables: false);
            PageTables.Write(m, table, level, index, (old & ~clear) | set);
            if (!m.Faulty(Simulation.Fault.RewriteWithoutFlush)) tlb.RemoveTlbEntry(level, addr); // tlb_flush_pte_range
            return true;
        }
    }
}
