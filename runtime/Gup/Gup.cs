using System;
using Shootdown.Simulation;

namespace Shootdown.Kernel
{
    /// <summary>
    /// <c>get_user_pages_fast</c> (mm/gup.c <c>gup_fast_fallback</c>): the lockless part of any
    /// <see cref="IFastGup{TSelf}"/>, then the locked slow path for what it left. Every page returned holds one
    /// reference the caller must put.
    /// </summary>
    public static class Gup
    {
        /// <summary>
        /// Pins <paramref name="nrPages"/> pages from <paramref name="start"/> (rounded down to a page) into
        /// <paramref name="pages"/>. Returns how many were pinned, or a negative errno only when none were: once anything
        /// is pinned the caller owns those references and must get their count back.
        /// </summary>
        public static int GetUserPagesFast<TGup>(Cpu cpu, Mm mm, ulong start, int nrPages, bool write, Span<int> pages)
            where TGup : struct, IFastGup<TGup>
        {
            ArgumentNullException.ThrowIfNull(cpu);
            ArgumentNullException.ThrowIfNull(mm);
            if (nrPages < 0) throw new ArgumentOutOfRangeException(nameof(nrPages), nrPages, "must not be negative");
            if (pages.Length < nrPages) throw new ArgumentException($"room for {pages.Length} pages, {nrPages} asked", nameof(pages));
            var g = cpu.Machine.Geometry;
            start &= ~((ulong)g.PageSize - 1);
            if (nrPages == 0) return 0;
            var len = (ulong)nrPages << g.PageShift;
            if (start + len < start) return -Errno.EOVERFLOW;
            if (start + len > g.TaskSize) return -Errno.EFAULT;
            cpu.Machine.GupAudit.Enter(cpu, mm, start, nrPages);
            var pinned = TGup.GupFast(cpu, mm, start, write, pages[..nrPages]);
            cpu.Machine.GupAudit.Return(cpu, pages[..pinned]);
            if (pinned == nrPages) return pinned;
            var ret = GetUserPages(cpu, mm, start + ((ulong)pinned << g.PageShift), nrPages - pinned, write, pages[pinned..]);
            if (ret < 0) return pinned > 0 ? pinned : ret;
            return ret + pinned;
        }

        /// <summary>
        /// The slow path (<c>__get_user_pages</c> under <c>mmap_read_lock</c>): look each page up under the page-table
        /// lock, fault it in when missing or read-only for a write, take a reference. Returns how many were pinned, or a
        /// negative errno when the first page failed.
        /// </summary>
        public static int GetUserPages(Cpu cpu, Mm mm, ulong start, int nrPages, bool write, Span<int> pages)
        {
            ArgumentNullException.ThrowIfNull(cpu);
            ArgumentNullException.ThrowIfNull(mm);
            if (nrPages < 0 || pages.Length < nrPages) throw new ArgumentOutOfRangeException(nameof(nrPages), nrPages, "no room for that many pages");
            var g = cpu.Machine.Geometry;
            if ((start & ((ulong)g.PageSize - 1)) != 0) throw new ArgumentException($"address {start:x} is not page aligned", nameof(start));
            cpu.Machine.GupAudit.Enter(cpu, mm, start, nrPages);
            var n = nrPages;
            var result = nrPages;
            mm.MmapLock.EnterReadLock(cpu);
            try
            {
                for (var i = 0; i < nrPages; i++)
                {
                    var addr = start + ((ulong)i << g.PageShift);
                    var error = PinOne(cpu, mm, addr, write, out var pfn);
                    if (error != 0)
                    {
                        n = i;
                        result = i > 0 ? i : error;
                        break;
                    }
                    pages[i] = pfn;
                }
            }
            finally
            {
                mm.MmapLock.ExitReadLock(cpu);
            }
            cpu.Machine.GupAudit.Return(cpu, pages[..n]);
            return result;
        }

        // check_vma_flags, then follow_page_mask / faultin_page until the page is there.
        private static int PinOne(Cpu cpu, Mm mm, ulong addr, bool write, out int pfn)
        {
            pfn = 0;
            var vma = mm.FindVma(addr);
            if (vma is null) return -Errno.EFAULT;
            if ((vma.Flags & VmaFlags.PfnMap) != 0) return -Errno.EFAULT;           // VM_IO | VM_PFNMAP
            if (write && (vma.Flags & VmaFlags.Write) == 0) return -Errno.EFAULT;
            for (var attempt = 0; attempt < 2; attempt++)
            {
                if (FollowPage(cpu, mm, addr, out pfn)) return 0;
                if (!AddressSpace.FaultLocked(cpu, mm, addr)) return -Errno.ENOMEM; // faultin_page: the caller holds mmap_lock
            }
            return -Errno.EFAULT;
        }

        // follow_page_mask under the page-table lock: a present leaf gets a reference on its folio; a huge leaf yields
        // the base page at addr (pmd_page(pmd) + pte_index(addr)), referenced through its head.
        private static bool FollowPage(Cpu cpu, Mm mm, ulong addr, out int pfn)
        {
            var m = cpu.Machine;
            var g = m.Geometry;
            pfn = 0;
            mm.PageTableLock.Enter(cpu);
            try
            {
                var table = mm.Pgd;
                if (table.IsNone) return false;
                for (var level = g.Levels - 1; level >= 0; level--)
                {
                    var entry = PageTables.Read(m, table, level, g.Index(level, addr));
                    if (!Entry.IsPresent(entry)) return false;
                    if (level == 0 || (entry & Entry.Leaf) != 0)
                    {
                        if ((entry & Entry.Special) != 0) return false;
                        var head = PageTables.Pfn(m, entry);
                        if (head == 0) return false;
                        pfn = head + (int)((addr & (g.EntrySize(level) - 1)) >> g.PageShift);
                        m.Memory.Get(pfn, cpu.Id);
                        return true;
                    }
                    table = PageTables.Deref(m, entry, level - 1);
                }
                return false;
            }
            finally
            {
                mm.PageTableLock.Exit(cpu);
            }
        }
    }
}
