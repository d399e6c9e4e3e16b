using System;
using System.Buffers;

namespace Shootdown.Simulation
{
    /// <summary>
    /// What the kernel does to address spaces, generic over the gather so that the reference and every generated
    /// <c>MmuGather</c> drive the exact same page-table walk (mm/mmap.c, mm/memory.c).
    /// </summary>
    public static partial class AddressSpace
    {
        /// <summary>
        /// <c>mmap</c> of [<paramref name="start"/>, +<paramref name="length"/>): adds a VMA, maps nothing yet. Runs as the
        /// CPU of the current task, or cpu0 outside a run.
        /// </summary>
        public static Vma Mmap(Machine m, Mm mm, ulong start, ulong length, VmaFlags flags)
        {
            ArgumentNullException.ThrowIfNull(m);
            return Mmap(m.Scheduling.Current ?? m.Cpus[0], mm, start, length, flags);
        }

        /// <summary><c>mmap</c> on <paramref name="cpu"/>: adds a VMA under <c>mmap_write_lock</c>, maps nothing yet.</summary>
        public static Vma Mmap(Cpu cpu, Mm mm, ulong start, ulong length, VmaFlags flags)
        {
            ArgumentNullException.ThrowIfNull(cpu);
            ArgumentNullException.ThrowIfNull(mm);
            var m = cpu.Machine;
            CheckRange(m, start, length);
            if ((flags & VmaFlags.Huge) != 0 && ((start | length) & (m.Geometry.EntrySize(1) - 1)) != 0)
                throw new ArgumentException($"a huge-page VMA must be aligned to {m.Geometry.EntrySize(1):x}", nameof(start));
            var end = start + length;
            mm.MmapLock.EnterWriteLock(cpu);
            try
            {
                return InsertVma(mm, start, end, flags);
            }
            finally
            {
                mm.MmapLock.ExitWriteLock(cpu);
            }
        }

        private static Vma InsertVma(Mm mm, ulong start, ulong end, VmaFlags flags)
        {
            lock (mm.Vmas)
            {
                foreach (var other in mm.Vmas)
                {
                    if (start < other.End && other.Start < end)
                        throw new InvalidOperationException($"[{start:x}, {end:x}) overlaps the VMA {other}");
                }
                var vma = new Vma(start, end, flags);
                var at = 0;
                while (at < mm.Vmas.Count && mm.Vmas[at].Start < start) at++;
                Scheduling.TouchCurrent(SharedObject.Mm(mm.Id), true);
                mm.Vmas.Insert(at, vma);
                return vma;
            }
        }

        /// <summary>
        /// Page fault at <paramref name="address"/>: allocate missing tables and the page (a huge page in a huge VMA).
        /// False when no VMA covers the address or memory ran out; the tables stay consistent either way.
        /// </summary>
        public static bool Fault(Cpu cpu, Mm mm, ulong address)
        {
            ArgumentNullException.ThrowIfNull(cpu);
            ArgumentNullException.ThrowIfNull(mm);
            // lock_mm_and_find_vma: the fault runs under mmap_read_lock, so munmap cannot pull tables from under it.
            mm.MmapLock.EnterReadLock(cpu);
            try
            {
                return FaultLocked(cpu, mm, address);
            }
            finally
            {
                mm.MmapLock.ExitReadLock(cpu);
            }
        }

        /// <summary><c>handle_mm_fault</c> for a caller that already holds <c>mmap_lock</c> (slow GUP).</summary>
        internal static bool FaultLocked(Cpu cpu, Mm mm, ulong address)
        {
            var m = cpu.Machine;
            var vma = mm.FindVma(address);
            if (vma is null || mm.Pgd.IsNone) return false;
            var g = m.Geometry;
            var leafLevel = (vma.Flags & VmaFlags.Huge) != 0 ? 1 : 0;
            mm.PageTableLock.Enter(cpu);
            try
            {
                var table = mm.Pgd;
                for (var level = g.Levels - 1; level > leafLevel; level--)
                {
                    var index = g.Index(level, address);
                    var entry = PageTables.Read(m, table, level, index);
                    if ((entry & Entry.Leaf) != 0 && Entry.IsPresent(entry)) return true; // a huge leaf (khugepaged) maps it
                    if (!Entry.IsPresent(entry))
                    {
                        var child = m.Tables.Allocate(level - 1, cpu.Id);
                        if (child.IsNone) return false;
                        entry = PageTables.TableEntry(m, child);
                        PageTables.Write(m, table, level, index, entry);
                    }
                    table = PageTables.Deref(m, entry, level - 1);
                }
                var leafIndex = g.Index(leafLevel, address);
                if (Entry.IsPresent(PageTables.Read(m, table, leafLevel, leafIndex))) return true;
                var flags = (vma.Flags & VmaFlags.Write) != 0 ? Entry.Write : 0;
                if ((vma.Flags & VmaFlags.Exec) != 0) flags |= Entry.Exec;
                if (leafLevel > 0) flags |= Entry.Leaf;
                ulong leaf;
                if ((vma.Flags & VmaFlags.PfnMap) != 0)
                {
                    // remap_pfn_range / vmf_insert_pfn: device memory with no struct page, so nothing is allocated,
                    // refcounted or freed; the PTE is special so GUP and zap leave it alone.
                    var span = g.EntrySize(leafLevel);
                    var physical = m.Memory.DeviceBase + ((address - vma.Start) & ~(span - 1));
                    if (g.PteBytes == 4 && physical + span > 1UL << 32) return false;
                    leaf = Entry.Make(physical, flags | Entry.Special);
                }
                else
                {
                    // do_anonymous_page / do_huge_pmd_anonymous_page: a folio of 2^order pages, mapped once (rmap on its head).
                    var order = leafLevel == 0 ? 0 : g.Shift(1) - g.PageShift;
                    var pfn = m.Memory.TryAllocateCompound(FrameUse.Data, order, cpu.Id);
                    if (pfn == 0) return false;
                    m.Memory.AddMap(pfn);
                    leaf = PageTables.PageEntry(m, pfn, flags);
                }
                PageTables.Write(m, table, leafLevel, leafIndex, leaf);
                return true;
            }
            finally
            {
                mm.PageTableLock.Exit(cpu);
            }
        }

        /// <summary>Faults in every page of [<paramref name="start"/>, <paramref name="end"/>); false if one failed.</summary>
        public static bool Populate(Cpu cpu, Mm mm, ulong start, ulong end)
        {
            var vma = mm.FindVma(start) ?? throw new ArgumentException($"no VMA at {start:x}", nameof(start));
            var step = (vma.Flags & VmaFlags.Huge) != 0 ? cpu.Machine.Geometry.EntrySize(1) : (ulong)cpu.Machine.Geometry.PageSize;
            for (var a = start; a < end; a += step)
            {
                if (!Fault(cpu, mm, a)) return false;
            }
            return true;
        }

        /// <summary>
        /// <c>munmap</c>: the VMAs are detached under the mmap write lock, which is then downgraded
        /// (<c>vms_complete_munmap_vmas</c>, since dd2283f2605e "mm: mmap: zap pages with read mmap_sem in munmap"), so
        /// the teardown runs under the read lock beside faults and <c>MADV_DONTNEED</c>: <c>unmap_region</c> with one
        /// gather; per VMA <c>tlb_start_vma</c>, zap, <c>tlb_end_vma</c>; then <c>free_pgtables</c> between the
        /// neighbours; then <c>tlb_finish_mmu</c>. The range must cover whole VMAs.
        /// </summary>
        public static void Munmap<TGather>(Cpu cpu, Mm mm, ulong start, ulong length) where TGather : struct, IMmuGather<TGather>
        {
            var m = cpu.Machine;
            CheckRange(m, start, length);
            var end = start + length;
            var call = m.Returns.Enter("munmap", mm, start, end);
            mm.MmapLock.EnterWriteLock(cpu);
            var downgraded = false;
            try
            {
                UnmapLocked<TGather>(cpu, mm, start, end, ref downgraded, downgrade: true);
            }
            finally
            {
                if (downgraded) mm.MmapLock.ExitReadLock(cpu);
                else mm.MmapLock.ExitWriteLock(cpu);
            }
            m.Returns.Return(cpu, call); // the syscall returns: every gather of the range is finished
        }

        // downgrade: munmap's mmap_write_downgrade; mremap's unmap of the old range (do_vmi_munmap, unlock false) keeps
        // the write lock.
        private static void UnmapLocked<TGather>(Cpu cpu, Mm mm, ulong start, ulong end, ref bool downgraded, bool downgrade) where TGather : struct, IMmuGather<TGather>
        {
            var m = cpu.Machine;
            int first, count;
            Vma[] doomed;
            ulong floor, ceiling;
            lock (mm.Vmas)
            {
                // The VMAs are sorted and disjoint: the doomed ones are the run [first, first + count).
                first = 0;
                while (first < mm.Vmas.Count && mm.Vmas[first].End <= start) first++;
                count = 0;
                while (first + count < mm.Vmas.Count && mm.Vmas[first + count].Start < end) count++;
                for (var i = first; i < first + count; i++)
                {
                    var vma = mm.Vmas[i];
                    if (vma.Start < start || vma.End > end)
                        throw new ArgumentException($"[{start:x}, {end:x}) splits the VMA {vma}; unmap whole VMAs", nameof(start));
                }
                if (count == 0) return;
                floor = first > 0 ? mm.Vmas[first - 1].End : 0;
                ceiling = first + count < mm.Vmas.Count ? mm.Vmas[first + count].Start : m.Geometry.TaskSize;
                doomed = ArrayPool<Vma>.Shared.Rent(count);
                mm.Vmas.CopyTo(first, doomed, 0, count);
                Scheduling.TouchCurrent(SharedObject.Mm(mm.Id), true);
                mm.Vmas.RemoveRange(first, count);
            }
            try
            {
                // mmap_write_downgrade: the VMAs are out of the tree, so nothing new can map the range; another gather
                // on this mm (MADV_DONTNEED elsewhere) may now run beside this one, the case mm_tlb_flush_nested handles.
                if (downgrade)
                {
                    downgraded = true; // first: the downgrade is done before its scheduling point, which may abort the run
                    mm.MmapLock.DowngradeWriteLock(cpu);
                }
                var tlb = TGather.Begin(cpu, mm, fullmm: false);
                for (var i = 0; i < count; i++) UnmapPageRange(ref tlb, cpu, mm, doomed[i], doomed[i].Start, doomed[i].End);
                tlb.FreeVmas(); // free_pgtables begins with tlb_free_vmas
                FreePgtables(ref tlb, cpu, mm, doomed[0].Start, doomed[count - 1].End, floor, ceiling);
                tlb.Finish();
            }
            finally
            {
                ArrayPool<Vma>.Shared.Return(doomed, clearArray: true);
            }
        }

        /// <summary><c>exit_mmap</c>: a fullmm gather over every VMA, every table, then <c>pgd_free</c>.</summary>
        public static void ExitMmap<TGather>(Cpu cpu, Mm mm) where TGather : struct, IMmuGather<TGather>
        {
            ArgumentNullException.ThrowIfNull(cpu);
            ExitMmap<TGather>(cpu, mm, cpu.Machine.Geometry.TaskSize);
            cpu.Machine.Tables.Free(mm.Pgd, cpu.Id); // pgd_free
            mm.Pgd = TableRef.None;
        }

        /// <summary>
        /// <c>exit_mmap</c> without <c>pgd_free</c>: tables are freed only below <paramref name="pgtablesCeiling"/>
        /// (<c>USER_PGTABLES_CEILING</c>), so PGD entries above it (kernel mappings shared by every mm) stay.
        /// </summary>
        public static void ExitMmap<TGather>(Cpu cpu, Mm mm, ulong pgtablesCeiling) where TGather : struct, IMmuGather<TGather>
        {
            ArgumentNullException.ThrowIfNull(cpu);
            ArgumentNullException.ThrowIfNull(mm);
            if (mm.Pgd.IsNone) throw new InvalidOperationException("this mm was already torn down");
            var call = cpu.Machine.Returns.Enter("exit_mmap", mm, 0, pgtablesCeiling);
            mm.MmapLock.EnterWriteLock(cpu);
            try
            {
                Vma[] all;
                lock (mm.Vmas)
                {
                    all = mm.Vmas.ToArray();
                    Scheduling.TouchCurrent(SharedObject.Mm(mm.Id), true);
                    mm.Vmas.Clear();
                }
                var tlb = TGather.Begin(cpu, mm, fullmm: true);
                foreach (var vma in all) UnmapPageRange(ref tlb, cpu, mm, vma, vma.Start, vma.End);
                tlb.FreeVmas(); // free_pgtables begins with tlb_free_vmas (nothing to do for fullmm)
                FreePgtables(ref tlb, cpu, mm, 0, pgtablesCeiling, 0, pgtablesCeiling);
                tlb.Finish();
            }
            finally
            {
                mm.MmapLock.ExitWriteLock(cpu);
            }
            cpu.Machine.Returns.Return(cpu, call, mmGone: true);
        }

        /// <summary>
        /// <c>free_pgtables</c>: free every table below the PGD whose whole span lies in [<paramref name="floor"/>,
        /// <paramref name="ceiling"/>) and meets [<paramref name="start"/>, <paramref name="end"/>), lowest level first,
        /// clearing the entry that pointed at it and handing it to the gather (<c>p?d_free_tlb</c>).
        /// </summary>
        public static void FreePgtables<TGather>(ref TGather tlb, Cpu cpu, Mm mm, ulong start, ulong end, ulong floor, ulong ceiling)
            where TGather : struct, IMmuGather<TGather>
        {
            FreeBelow(ref tlb, cpu, mm, mm.Pgd, cpu.Machine.Geometry.Levels - 1, start, end, floor, ceiling);
        }

        private static void FreeBelow<TGather>(ref TGather tlb, Cpu cpu, Mm mm, TableRef table, int level, ulong start, ulong end, ulong floor, ulong ceiling)
            where TGather : struct, IMmuGather<TGather>
        {
            var m = cpu.Machine;
            var g = m.Geometry;
            var size = g.EntrySize(level);
            for (var addr = start & ~(size - 1); addr < end && addr + size > addr; addr += size)
            {
                var index = g.Index(level, addr);
                var entry = PageTables.Read(m, table, level, index);
                if (!Entry.IsPresent(entry) || (entry & Entry.Leaf) != 0) continue;
                var child = PageTables.Deref(m, entry, level - 1);
                if (level - 1 > 0) FreeBelow(ref tlb, cpu, mm, child, level - 1, Math.Max(start, addr), Math.Min(end, addr + size), floor, ceiling);
                if (addr < floor || addr + size > ceiling) continue; // the table also maps a neighbour's range
                mm.PageTableLock.Enter(cpu);
                try { PageTables.Clear(m, table, level, index); }
                finally { mm.PageTableLock.Exit(cpu); }
                m.Trace.Record(EventKind.EntryCleared, cpu.Id, addr, (ulong)level);
                tlb.FreeTable(level - 1, child, addr);
            }
        }

        private static void CheckRange(Machine m, ulong start, ulong length)
        {
            var mask = (ulong)m.Geometry.PageSize - 1;
            if ((start & mask) != 0) throw new ArgumentException($"address {start:x} is not page aligned", nameof(start));
            if (length == 0 || (length & mask) != 0) throw new ArgumentException($"length {length:x} is not a positive multiple of the page size", nameof(length));
            if (start + length < start || start + length > m.Geometry.TaskSize)
                throw new ArgumentOutOfRangeException(nameof(length), $"[{start:x}, +{length:x}) overflows the {m.Geometry.AddressBits}-bit address space");
        }
    }
}
