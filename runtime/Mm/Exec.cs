using System;
using Shootdown.Simulation;

namespace Shootdown.Kernel
{
    /// <summary>The page-table side of <c>execve</c> (fs/exec.c, mm/vma_exec.c).</summary>
    public static class Exec
    {
        /// <summary>
        /// <c>shift_arg_pages</c> / <c>relocate_vma_down</c>: move the stack VMA <paramref name="stack"/> down by
        /// <paramref name="shift"/> bytes. The PTEs move (<c>move_page_tables</c>, flushing the old range), then the tables
        /// left behind are freed with a gather that never sees <c>tlb_start_vma</c>/<c>tlb_end_vma</c>: just
        /// <c>tlb_gather_mmu</c>, <c>free_pgd_range</c>, <c>tlb_finish_mmu</c> (the "arm: mmu_gather rework" review of 2011: no <c>tlb_start_vma</c> here).
        /// </summary>
        public static void ShiftArgPages<TGather>(Cpu cpu, Mm mm, Vma stack, ulong shift) where TGather : struct, IMmuGather<TGather>
        {
            ArgumentNullException.ThrowIfNull(cpu);
            ArgumentNullException.ThrowIfNull(mm);
            ArgumentNullException.ThrowIfNull(stack);
            var m = cpu.Machine;
            var g = m.Geometry;
            if (shift == 0 || (shift & ((ulong)g.PageSize - 1)) != 0)
                throw new ArgumentException($"shift {shift:x} is not a positive multiple of the page size", nameof(shift));
            if (shift > stack.Start) throw new ArgumentOutOfRangeException(nameof(shift), $"{stack} cannot move down by {shift:x}");
            if ((stack.Flags & VmaFlags.Huge) != 0) throw new ArgumentException("a stack VMA has base pages", nameof(stack));
            mm.MmapLock.EnterWriteLock(cpu);
            try
            {
                var oldStart = stack.Start;
                var oldEnd = stack.End;
                var newStart = oldStart - shift;
                var newEnd = oldEnd - shift;
                Vma? next = null;
                lock (mm.Vmas)
                {
                    if (!mm.Vmas.Contains(stack)) throw new ArgumentException($"{stack} is not a VMA of this mm", nameof(stack));
                    foreach (var other in mm.Vmas)
                    {
                        if (other == stack) continue;
                        if (other.End > newStart && other.Start < oldStart)
                            throw new InvalidOperationException($"{other} lies where the stack would move"); // -EFAULT
                        if (other.Start >= oldEnd && (next is null || other.Start < next.Start)) next = other;
                    }
                    stack.Start = newStart; // vma_expand to [new_start, old_end)
                }
                if (!MovePageTables(cpu, mm, oldStart, newStart, oldEnd - oldStart))
                    throw new InsufficientMemoryException("no memory for the moved stack's page tables");
                var ceiling = next?.Start ?? g.TaskSize;
                var tlb = TGather.Begin(cpu, mm, fullmm: false);
                if (newEnd > oldStart)
                    AddressSpace.FreePgtables(ref tlb, cpu, mm, newEnd, oldEnd, newEnd, ceiling);   // overlap: clear from new_end
                else
                    AddressSpace.FreePgtables(ref tlb, cpu, mm, oldStart, oldEnd, newEnd, ceiling); // keep [new_end, old_start) untouched
                tlb.Finish();
                lock (mm.Vmas) stack.End = newEnd; // vma_shrink
            }
            finally
            {
                mm.MmapLock.ExitWriteLock(cpu);
            }
        }

        // move_page_tables for a downward move: PTE by PTE, lowest first so nothing is overwritten, then flush the old
        // range (move_ptes flushes before the PTE lock is dropped).
        private static bool MovePageTables(Cpu cpu, Mm mm, ulong oldAddr, ulong newAddr, ulong length)
        {
            var m = cpu.Machine;
            var g = m.Geometry;
            var moved = false;
            for (var off = 0UL; off < length; off += (ulong)g.PageSize)
            {
                mm.PageTableLock.Enter(cpu);
                try
                {
                    if (!FindPte(m, mm, oldAddr + off, allocate: false, cpu, out var from, out var fromIndex)) continue;
                    var entry = PageTables.Read(m, from, 0, fromIndex);
                    if (!Entry.IsPresent(entry)) continue;
                    if (!FindPte(m, mm, newAddr + off, allocate: true, cpu, out var to, out var toIndex)) return false;
                    entry = PageTables.Clear(m, from, 0, fromIndex);
                    m.Trace.Record(EventKind.EntryCleared, cpu.Id, oldAddr + off, 0);
                    PageTables.Write(m, to, 0, toIndex, entry);
                    moved = true;
                }
                finally
                {
                    mm.PageTableLock.Exit(cpu);
                }
            }
            if (moved) Flush(cpu, mm, oldAddr, oldAddr + length);
            return true;
        }

        private static void Flush(Cpu cpu, Mm mm, ulong start, ulong end)
        {
            var m = cpu.Machine;
            m.Shootdown.FlushRange(cpu, mm, start, end, freedTables: false);
        }

        // The PTE slot of addr under mm_lock held for write: walk (and with allocate, fill in) the upper levels.
        internal static bool FindPte(Machine m, Mm mm, ulong addr, bool allocate, Cpu cpu, out TableRef table, out int index)
        {
            var g = m.Geometry;
            table = mm.Pgd;
            for (var level = g.Levels - 1; level > 0; level--)
            {
                var i = g.Index(level, addr);
                var entry = PageTables.Read(m, table, level, i);
                if (!Entry.IsPresent(entry))
                {
                    if (!allocate) { index = 0; return false; }
                    var child = m.Tables.Allocate(level - 1, cpu.Id);
                    if (child.IsNone) { index = 0; return false; }
                    entry = PageTables.TableEntry(m, child);
                    PageTables.Write(m, table, level, i, entry);
                }
                else if ((entry & Entry.Leaf) != 0)
                {
                    throw new NotSupportedException($"a huge leaf maps {addr:x}: a stack has base pages");
                }
                table = PageTables.Deref(m, entry, level - 1);
            }
            index = g.Index(0, addr);
            return true;
        }
    }
}
