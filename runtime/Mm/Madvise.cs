using System;
using Shootdown.Simulation;

namespace Shootdown.Kernel
{
    /// <summary>
    /// <c>madvise(MADV_DONTNEED)</c> (mm/madvise.c, mm/memory.c <c>zap_page_range_single</c>) and
    /// <c>madvise(MADV_FREE)</c> (mm/madvise.c <c>madvise_free_single_vma</c>).
    /// </summary>
    public static class Madvise
    {
        /// <summary>
        /// Drops the pages of [<paramref name="start"/>, +<paramref name="length"/>) but keeps VMAs and page tables.
        /// Runs under <c>mmap_read_lock</c>, so it can overlap munmap's or another madvise's gather on the same mm; each
        /// VMA gets its own gather (<c>tlb_gather_mmu</c>, <c>unmap_single_vma</c>, <c>tlb_finish_mmu</c>).
        /// Returns 0, <c>-ENOMEM</c> when part of the range is unmapped (the mapped parts are still zapped), or
        /// <c>-EINVAL</c> for a <c>VM_PFNMAP</c> VMA. Under <c>CONFIG_PT_RECLAIM</c> a PTE table the range covers whole and
        /// leaves empty is freed too, through the gather (6375e95f381e "mm: pgtable: reclaim empty PTE page in
        /// madvise(MADV_DONTNEED)", v6.14).
        /// </summary>
        public static int DontNeed<TGather>(Cpu cpu, Mm mm, ulong start, ulong length) where TGather : struct, IMmuGather<TGather> =>
            Advise<TGather>(cpu, mm, start, length, free: false);

        /// <summary>
        /// Lets the pages of [<paramref name="start"/>, +<paramref name="length"/>) be reclaimed lazily: under
        /// <c>mmap_read_lock</c>, per VMA a gather, <c>tlb_start_vma</c>, <c>madvise_free_pte_range</c> (each young or
        /// dirty PTE cleared, set again old and clean, <c>tlb_remove_tlb_entry</c>; the folio <c>folio_mark_lazyfree</c>),
        /// <c>tlb_end_vma</c>, <c>tlb_finish_mmu</c>. The model has no accessed or dirty bits, so every present PTE counts
        /// as young and dirty (as after a write fault), and each page is mapped once, so none is skipped as shared.
        /// Returns as <see cref="DontNeed"/>, and <c>-EINVAL</c> for a VMA that is not anonymous memory on the LRU
        /// (<c>VM_PFNMAP</c>, <c>VM_MIXEDMAP</c>, <c>VM_HUGETLB</c>).
        /// </summary>
        /// <remarks>
        /// After the return no CPU writes through an entry cached before the call (<see cref="ReturnPromise.NoWrite"/>):
        /// such a write would not dirty the cleaned PTE, and reclaim would drop the data as never written. 99baac21e458
        /// ("mm: fix MADV_[FREE|DONTNEED] TLB flush miss problem") keeps that when another gather cleaned the PTEs first.
        /// </remarks>
        public static int Free<TGather>(Cpu cpu, Mm mm, ulong start, ulong length) where TGather : struct, IMmuGather<TGather> =>
            Advise<TGather>(cpu, mm, start, length, free: true);

        private static int Advise<TGather>(Cpu cpu, Mm mm, ulong start, ulong length, bool free) where TGather : struct, IMmuGather<TGather>
        {
            ArgumentNullException.ThrowIfNull(cpu);
            ArgumentNullException.ThrowIfNull(mm);
            var g = cpu.Machine.Geometry;
            if ((start & ((ulong)g.PageSize - 1)) != 0) throw new ArgumentException($"address {start:x} is not page aligned", nameof(start));
            if (length == 0) return 0;
            length = (length + (ulong)g.PageSize - 1) & ~((ulong)g.PageSize - 1);
            var end = start + length;
            if (end < start || end > g.TaskSize) throw new ArgumentOutOfRangeException(nameof(length), $"[{start:x}, +{length:x}) leaves the address space");
            // madvise_dontneed_single_vma: zap_details.reclaim_pt where CONFIG_PT_RECLAIM is built (LinuxEras.PtReclaim).
            var reclaimPt = LinuxEras.PtReclaim(cpu.Machine.Descriptor);
            var call = free
                ? cpu.Machine.Returns.Enter("madvise(MADV_FREE)", mm, start, end, ReturnPromise.NoWrite)
                : cpu.Machine.Returns.Enter("madvise(MADV_DONTNEED)", mm, start, end);
            int result;
            ulong zapped;
            mm.MmapLock.EnterReadLock(cpu);
            try
            {
                result = AdviseLocked<TGather>(cpu, mm, start, end, reclaimPt, free, out zapped);
            }
            finally
            {
                mm.MmapLock.ExitReadLock(cpu);
            }
            // The syscall returns: each VMA's gather is finished. What it promises covers what it zapped or cleaned: an
            // -EINVAL stopped the walk at a VMA it refuses, whose translations (and those after it) were never touched.
            cpu.Machine.Returns.Return(cpu, call with { End = zapped });
            return result;
        }

        // Zaps (or with free, cleans) VMA by VMA; zapped is where the walk stopped: end, or the start of the VMA that
        // failed it (the VMAs before it stay done, as in Linux's madvise_walk_vmas, which returns the first per-VMA
        // error at once).
        private static int AdviseLocked<TGather>(Cpu cpu, Mm mm, ulong start, ulong end, bool reclaimPt, bool free, out ulong zapped)
            where TGather : struct, IMmuGather<TGather>
        {
            var g = cpu.Machine.Geometry;
            Vma[] vmas;
            lock (mm.Vmas) vmas = mm.Vmas.FindAll(v => v.Start < end && start < v.End).ToArray();
            var covered = start;
            var result = 0;
            zapped = start;
            foreach (var vma in vmas)
            {
                zapped = Math.Max(start, vma.Start);
                if ((vma.Flags & VmaFlags.PfnMap) != 0) return -Errno.EINVAL; // !can_madv_lru_vma
                // madvise_free_single_vma: !vma_is_anonymous; can_madv_lru_vma: VM_HUGETLB
                if (free && (vma.Flags & (VmaFlags.MixedMap | VmaFlags.Huge)) != 0) return -Errno.EINVAL;
                if (vma.Start > covered) result = -Errno.ENOMEM;
                var from = Math.Max(start, vma.Start);
                var to = Math.Min(end, vma.End);
                if ((vma.Flags & VmaFlags.Huge) != 0 && ((from | to) & (g.EntrySize(1) - 1)) != 0)
                    throw new ArgumentException($"[{from:x}, {to:x}) is not aligned to the huge pages of {vma}", nameof(start));
                var tlb = TGather.Begin(cpu, mm, fullmm: false);
                if (free) AddressSpace.RewriteLeaves(ref tlb, cpu, mm, vma, from, to, clear: 0, set: 0);
                else AddressSpace.UnmapPageRange(ref tlb, cpu, mm, vma, from, to, reclaimPt);
                tlb.Finish();
                covered = to;
            }
            if (covered < end) result = -Errno.ENOMEM;
            zapped = end; // holes hold no translation of this mm
            return result;
        }
    }
}
