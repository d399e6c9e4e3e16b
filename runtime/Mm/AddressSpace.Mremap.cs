using System;
using Shootdown.Kernel;

namespace Shootdown.Simulation
{
    // mremap (mm/mremap.c) of a whole VMA to a free place of the same size: the PTEs move, then the old range is unmapped.
    public static partial class AddressSpace
    {
        /// <summary>
        /// <c>mremap(old, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, new)</c> of the VMA [<paramref name="oldStart"/>,
        /// +<paramref name="length"/>) to <paramref name="newStart"/>, under <c>mmap_write_lock</c>: <c>copy_vma</c>,
        /// <c>move_page_tables</c> (PMD extent by extent, <c>move_ptes</c> moving each PTE under the PTE lock and, when one
        /// was present, <c>flush_tlb_range</c> of the old extent before that lock is dropped: eb66ae030829 "mremap:
        /// properly flush TLB before releasing the page"), then <c>do_vmi_munmap</c> of the old range (its page tables).
        /// Returns 0, <c>-EFAULT</c> when no VMA starts at <paramref name="oldStart"/>, <c>-EINVAL</c> for overlapping
        /// ranges, <c>-ENOMEM</c> when the new tables cannot be allocated (nothing moved). Not modeled: a part of a VMA,
        /// a destination that is mapped (MREMAP_FIXED unmaps it first), huge leaves (<c>move_huge_pmd</c>) and the
        /// whole-table moves of <c>move_normal_pmd</c> (<c>CONFIG_HAVE_MOVE_PMD</c>).
        /// </summary>
        /// <remarks>
        /// At the return nothing translates the old range through an entry cached before the call
        /// (<see cref="ReturnPromise.NoTranslation"/>): the pages live on at the new address, and one unmapped there and
        /// freed must not stay reachable through the old one.
        /// </remarks>
        /// <typeparam name="TGather">The gather of the unmap of the old range.</typeparam>
        public static int Mremap<TGather>(Cpu cpu, Mm mm, ulong oldStart, ulong length, ulong newStart) where TGather : struct, IMmuGather<TGather>
        {
            ArgumentNullException.ThrowIfNull(cpu);
            ArgumentNullException.ThrowIfNull(mm);
            var m = cpu.Machine;
            CheckRange(m, oldStart, length);
            CheckRange(m, newStart, length);
            var oldEnd = oldStart + length;
            if (oldStart < newStart + length && newStart < oldEnd) return -Errno.EINVAL; // mremap_to: the ranges overlap
            var call = m.Returns.Enter("mremap", mm, oldStart, oldEnd);
            int result;
            mm.MmapLock.EnterWriteLock(cpu);
            try
            {
                result = MoveVmaLocked<TGather>(cpu, mm, oldStart, oldEnd, newStart);
            }
            finally
            {
                mm.MmapLock.ExitWriteLock(cpu);
            }
            m.Returns.Return(cpu, result == 0 ? call : call with { End = oldStart });
            return result;
        }

        private static int MoveVmaLocked<TGather>(Cpu cpu, Mm mm, ulong oldStart, ulong oldEnd, ulong newStart) where TGather : struct, IMmuGather<TGather>
        {
            var m = cpu.Machine;
            var length = oldEnd - oldStart;
            var vma = mm.FindVma(oldStart);
            if (vma is null || vma.Start > oldStart) return -Errno.EFAULT;
            if (vma.Start != oldStart || vma.End != oldEnd)
                throw new ArgumentException($"[{oldStart:x}, {oldEnd:x}) is part of the VMA {vma}; mremap whole VMAs", nameof(oldStart));
            if ((vma.Flags & VmaFlags.Huge) != 0) throw new NotSupportedException($"{vma}: move_huge_pmd is not modeled");
            // Destination tables first, so a failed allocation leaves everything where it was (Linux moves back instead).
            for (var off = 0UL; off < length; off += (ulong)m.Geometry.PageSize)
            {
                if (Exec.FindPte(m, mm, oldStart + off, allocate: false, cpu, out _, out _) && !AllocatePte(cpu, mm, newStart + off))
                    return -Errno.ENOMEM;
            }
            InsertVma(mm, newStart, newStart + length, vma.Flags); // copy_vma: throws if the destination is mapped
            MovePageTables(cpu, mm, oldStart, oldEnd, newStart);
            var downgraded = false;
            UnmapLocked<TGather>(cpu, mm, oldStart, oldEnd, ref downgraded, downgrade: false);
            return 0;
        }

        private static bool AllocatePte(Cpu cpu, Mm mm, ulong addr)
        {
            mm.PageTableLock.Enter(cpu);
            try { return Exec.FindPte(cpu.Machine, mm, addr, allocate: true, cpu, out _, out _); }
            finally { mm.PageTableLock.Exit(cpu); }
        }

        // move_page_tables: extents bounded by the PMD boundaries of both ranges (get_extent), each by move_ptes.
        private static void MovePageTables(Cpu cpu, Mm mm, ulong oldAddr, ulong oldEnd, ulong newAddr)
        {
            var g = cpu.Machine.Geometry;
            while (oldAddr < oldEnd)
            {
                var extent = g.AddrEnd(oldAddr, oldEnd, 1) - oldAddr;
                extent = g.AddrEnd(newAddr, newAddr + extent, 1) - newAddr;
                MovePtes(cpu, mm, oldAddr, oldAddr + extent, newAddr);
                oldAddr += extent;
                newAddr += extent;
            }
        }

        // move_ptes: both PTE locks held (one lock in the model) while each PTE is cleared at the old address and set at
        // the new one; the old range is flushed before the locks go, or a CPU could keep writing through the old
        // translation to a page that an munmap of the new range has already freed.
        private static void MovePtes(Cpu cpu, Mm mm, ulong oldAddr, ulong oldEnd, ulong newAddr)
        {
            var m = cpu.Machine;
            var page = (ulong)m.Geometry.PageSize;
            mm.PageTableLock.Enter(cpu);
            try
            {
                if (!Exec.FindPte(m, mm, oldAddr, allocate: false, cpu, out var from, out _)) return; // get_old_pmd: none
                if (!Exec.FindPte(m, mm, newAddr, allocate: false, cpu, out var to, out _))
                    throw new InvalidOperationException($"the PTE table for {newAddr:x} was allocated before the move");
                var forceFlush = false;
                for (ulong off = 0; oldAddr + off < oldEnd; off += page)
                {
                    var fromIndex = m.Geometry.Index(0, oldAddr + off);
                    if (!Entry.IsPresent(PageTables.Read(m, from, 0, fromIndex))) continue;
                    var entry = PageTables.Clear(m, from, 0, fromIndex); // get_and_clear_full_ptes
                    m.Trace.Record(EventKind.EntryCleared, cpu.Id, oldAddr + off, 0);
                    if (m.Descriptor.SynchronousOnClear) m.Shootdown.FlushRangeByBroadcast(cpu, mm, oldAddr + off, oldAddr + off + page, freedTables: false);
                    PageTables.Write(m, to, 0, m.Geometry.Index(0, newAddr + off), entry); // set_ptes
                    forceFlush = true;
                }
                if (forceFlush) m.Shootdown.FlushRange(cpu, mm, oldAddr, oldEnd, freedTables: false);
            }
            finally
            {
                mm.PageTableLock.Exit(cpu);
            }
        }
    }
}
