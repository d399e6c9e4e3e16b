using System;

namespace Shootdown.Simulation
{
    // mprotect (mm/mprotect.c): new permissions for whole VMAs, their present PTEs rewritten through one gather.
    public static partial class AddressSpace
    {
        /// <summary>
        /// <c>mprotect</c> of [<paramref name="start"/>, +<paramref name="length"/>) to the write and exec permissions of
        /// <paramref name="prot"/> (<see cref="VmaFlags.Write"/>, <see cref="VmaFlags.Exec"/>, or neither). As
        /// <c>do_mprotect_pkey</c> since 4a18419f71cd ("mm/mprotect: use mmu_gather", v5.19): under
        /// <c>mmap_write_lock</c>, <c>tlb_gather_mmu</c>, per VMA <c>mprotect_fixup</c> (new <c>vm_flags</c>, then
        /// <c>change_protection</c>, whose <c>change_pte_range</c> calls <c>tlb_flush_pte_range</c> for each changed PTE),
        /// then <c>tlb_finish_mmu</c>. The generic <c>pte_needs_flush</c> is modeled, which flushes every change (x86 skips
        /// pure upgrades since c9fe66560bf2, not modeled). Returns 0, or <c>-ENOMEM</c> at the first hole, as the VMA loop
        /// breaks there: the VMAs before it keep their new permissions. The range must cover whole VMAs (splitting one,
        /// <c>vma_modify_flags</c>, is not modeled).
        /// </summary>
        /// <remarks>
        /// Taking <c>VM_WRITE</c> away promises that after the return no CPU writes through an entry cached before the
        /// call (<see cref="ReturnPromise.NoWrite"/>): the flush of <c>tlb_finish_mmu</c> gives it.
        /// </remarks>
        public static int Mprotect<TGather>(Cpu cpu, Mm mm, ulong start, ulong length, VmaFlags prot) where TGather : struct, IMmuGather<TGather>
        {
            ArgumentNullException.ThrowIfNull(cpu);
            ArgumentNullException.ThrowIfNull(mm);
            var m = cpu.Machine;
            CheckRange(m, start, length);
            const VmaFlags access = VmaFlags.Write | VmaFlags.Exec;
            if ((prot & ~access) != 0) throw new ArgumentException($"{prot}: mprotect changes only {access}", nameof(prot));
            var end = start + length;
            var set = ((prot & VmaFlags.Write) != 0 ? Entry.Write : 0) | ((prot & VmaFlags.Exec) != 0 ? Entry.Exec : 0);
            var promise = (prot & VmaFlags.Write) == 0 ? ReturnPromise.NoWrite : ReturnPromise.NoTranslation;
            var call = m.Returns.Enter("mprotect", mm, start, end, promise);
            int result;
            ulong covered;
            mm.MmapLock.EnterWriteLock(cpu);
            try
            {
                result = ProtectLocked<TGather>(cpu, mm, start, end, prot, set, out covered);
            }
            finally
            {
                mm.MmapLock.ExitWriteLock(cpu);
            }
            // What lost VM_WRITE is [start, covered); a call that kept or granted it promises nothing.
            m.Returns.Return(cpu, call with { End = promise == ReturnPromise.NoWrite ? covered : start });
            return result;
        }

        private static int ProtectLocked<TGather>(Cpu cpu, Mm mm, ulong start, ulong end, VmaFlags prot, ulong set, out ulong covered)
            where TGather : struct, IMmuGather<TGather>
        {
            Vma[] vmas;
            lock (mm.Vmas) vmas = mm.Vmas.FindAll(v => v.Start < end && start < v.End).ToArray();
            foreach (var vma in vmas)
            {
                if (vma.Start < start || vma.End > end)
                    throw new ArgumentException($"[{start:x}, {end:x}) splits the VMA {vma}; mprotect whole VMAs", nameof(start));
            }
            covered = start;
            var tlb = TGather.Begin(cpu, mm, fullmm: false);
            foreach (var vma in vmas)
            {
                if (vma.Start != covered) break; // a hole: -ENOMEM, the rest untouched
                lock (mm.Vmas)
                {
                    Scheduling.TouchCurrent(SharedObject.Mm(mm.Id), true);
                    vma.Flags = (vma.Flags & ~(VmaFlags.Write | VmaFlags.Exec)) | prot; // vm_flags_reset_once
                }
                RewriteLeaves(ref tlb, cpu, mm, vma, vma.Start, vma.End, Entry.Write | Entry.Exec, set);
                covered = vma.End;
            }
            tlb.Finish();
            return covered < end ? -Kernel.Errno.ENOMEM : 0;
        }
    }
}
