using System.Collections.Generic;

namespace Shootdown.Simulation
{
    /// <summary>
    /// What a caller gets when munmap, <c>madvise(MADV_DONTNEED)</c> or exit returns: no CPU translates an address of
    /// the range through an entry cached before the call. User space may write there next (a new mapping, a fault of a
    /// fresh zero page) and must not reach the old page through a TLB. Linux gives it by finishing the gather before the
    /// syscall returns: <c>tlb_finish_mmu</c> in <c>unmap_region</c> / <c>vms_clear_ptes</c> (mm/vma.c, earlier
    /// mm/mmap.c), in <c>zap_page_range_single</c> (mm/memory.c) with the forced flush when another gather is in flight
    /// (<c>mm_tlb_flush_nested</c>, 99baac21e458), and in <c>exit_mmap</c> (mm/mmap.c). Only for what the call tore
    /// down: <c>madvise(MADV_DONTNEED)</c> returns <c>-EINVAL</c> at a <c>VM_PFNMAP</c> VMA without zapping it or anything
    /// after it (mm/madvise.c: <c>madvise_dontneed_free_valid_vma</c>, and the VMA walk returns the first per-VMA error),
    /// so another CPU may rightly keep translating that part. mremap promises the same of the range it moved from:
    /// <c>move_ptes</c> (mm/mremap.c) flushes the old range before it drops the old PTE lock (eb66ae030829 "mremap:
    /// properly flush TLB before releasing the page"). A permission downgrade promises less
    /// (<see cref="ReturnPromise.NoWrite"/>): after mprotect took the write permission away, or after
    /// <c>madvise(MADV_FREE)</c> cleaned the PTEs, no CPU writes through an entry cached before the call.
    /// </summary>
    /// <remarks>
    /// Checked twice. At return, against every CPU that can run the mm without first catching up: a translation cached
    /// before the call is still in its TLB (a lazy CPU that owes a flush at <c>switch_mm</c> cannot use it and is
    /// skipped). At every later TLB hit, on any CPU: the entry was cached before a call over its address returned. After
    /// exit only the second applies: nothing runs the mm again, and arm64's <c>tlb_flush</c> rightly leaves last-level
    /// entries of a dead mm (the ASID allocator flushes before it reuses the ASID). Walk-cache entries need no check of
    /// their own: one under a returned range either points at a table freed since (<see cref="ViolationKind.StaleWalkCacheUse"/>)
    /// or at a table still hooked where it was, which translates what the tables say.
    /// </remarks>
    public sealed class ReturnGuarantee
    {
        private readonly Machine _m;
        private readonly List<Call> _returned = new();
        private volatile bool _any;

        internal ReturnGuarantee(Machine machine) => _m = machine;

        /// <summary>
        /// A call over [<see cref="Start"/>, <see cref="End"/>) of mm <see cref="Mm"/>, entered at <see cref="Since"/>,
        /// promising <see cref="Promise"/> at its return.
        /// </summary>
        public readonly record struct Call(string Name, int Mm, ulong Start, ulong End, long Since, ReturnPromise Promise = ReturnPromise.NoTranslation);

        /// <summary>
        /// <paramref name="name"/> of [<paramref name="start"/>, <paramref name="end"/>) of <paramref name="mm"/> is
        /// entered now; at its return it promises <paramref name="promise"/>.
        /// </summary>
        public Call Enter(string name, Mm mm, ulong start, ulong end, ReturnPromise promise = ReturnPromise.NoTranslation)
        {
            System.ArgumentNullException.ThrowIfNull(mm);
            // Which entries count as cached before the call depends on the order of this instant and every TLB fill:
            // the explorer must see them conflict.
            foreach (var cpu in _m.Cpus) _m.Scheduling.Touch(SharedObject.Tlb(cpu.Id), false);
            return new Call(name, mm.Id, start, end, _m.Clock.Tick(), promise);
        }

        /// <summary>
        /// <paramref name="call"/> returns on <paramref name="cpu"/>; <paramref name="mmGone"/> after exit, when no CPU
        /// will run the mm again. The call's range is what it tore down: a madvise that failed part way passes the part
        /// it zapped (<c>End</c> lowered), and an empty range promises nothing.
        /// </summary>
        public void Return(Cpu cpu, Call call, bool mmGone = false)
        {
            System.ArgumentNullException.ThrowIfNull(cpu);
            if (call.End <= call.Start) return;
            // From now on the entries cached before the call are unusable on every CPU, a change of what each TLB holds
            // that a later hit (UsedAfterReturn) reads: recorded as a write of every TLB, so the two orders are explored.
            foreach (var other in _m.Cpus) _m.Scheduling.Touch(SharedObject.Tlb(other.Id), true);
            lock (_returned) _returned.Add(call);
            _any = true;
            if (mmGone) return;
            foreach (var other in _m.Cpus)
            {
                var mm = other.LoadedMm;
                if (mm is null || mm.Id != call.Mm || (other.ActiveMm != mm && other.LazyFlushOwed)) continue;
                // A downgrade leaves read-only entries alone: only a writable one cached before the call breaks it.
                var writable = call.Promise == ReturnPromise.NoWrite;
                if (other.Tlb.TryFindCachedBefore(call.Mm, call.Start, call.End, call.Since, out var address, writable ? Entry.Write : 0))
                    _m.Violations.Report(ViolationKind.StaleAfterReturn, cpu.Id,
                        $"{call.Name} of [{call.Start:x}, {call.End:x}) returned on cpu{cpu.Id} while cpu{other.Id}'s TLB still maps {address:x}{(writable ? " writable" : "")} as cached before the call");
            }
        }

        /// <summary>
        /// <paramref name="cpu"/> translates <paramref name="address"/> of mm <paramref name="mm"/> through a TLB entry
        /// cached at <paramref name="cachedAt"/>, for a write when <paramref name="write"/>: true (and a violation
        /// recorded) when a call over that address entered after it has returned, and promised no translation, or
        /// promised no write and this is one.
        /// </summary>
        internal bool UsedAfterReturn(Cpu cpu, int mm, ulong address, long cachedAt, bool write)
        {
            if (!_any) return false;
            lock (_returned)
            {
                foreach (var call in _returned)
                {
                    if (call.Mm != mm || address < call.Start || address >= call.End || cachedAt >= call.Since) continue;
                    if (call.Promise == ReturnPromise.NoWrite && !write) continue;
                    _m.Violations.Report(ViolationKind.StaleAfterReturn, cpu.Id,
                        $"cpu{cpu.Id} {(write ? "wrote" : "translated")} {address:x} through a TLB entry cached before {call.Name} of [{call.Start:x}, {call.End:x}) returned");
                    return true;
                }
            }
            return false;
        }
    }

    /// <summary>What a call promises of its range once it returns (<see cref="ReturnGuarantee"/>).</summary>
    public enum ReturnPromise
    {
        /// <summary>No CPU translates it through an entry cached before the call: munmap, MADV_DONTNEED, exit, mremap's old range.</summary>
        NoTranslation,
        /// <summary>
        /// No CPU writes through an entry cached before the call: mprotect taking <c>VM_WRITE</c> away
        /// (<c>change_pte_range</c>, mm/mprotect.c), and <c>madvise(MADV_FREE)</c>, whose cleaned PTE must see the next
        /// write, or reclaim drops the data as never written (<c>madvise_free_pte_range</c>, mm/madvise.c).
        /// </summary>
        NoWrite,
    }
}
