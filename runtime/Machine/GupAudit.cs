using System;
using System.Collections.Generic;

namespace Shootdown.Simulation
{
    /// <summary>
    /// GUP's contract, checked on what it returns, whatever code produced it: every page fast or slow GUP returns for an
    /// address was mapped at that address at an instant inside the call at which the call held a reference to it. The
    /// lockless walk of mm/gup.c <c>gup_fast_pte_range</c> earns it by <c>try_grab_folio_fast</c> and then re-reading the
    /// PMD and the PTE (70cbc3cc78a9 added the PMD): a page freed and reallocated between the PTE read and the grab (an
    /// ABA) is taken, but the re-check sees the PTE changed and puts it back.
    /// </summary>
    /// <remarks>
    /// Instants are looked at, not guessed: when the call takes its first reference on a page, after every entry load
    /// the calling CPU makes while it holds it, and at return, the tables are walked (as the hardware would, with no
    /// scheduling point and no dependency recorded) for each address of the call. A page returned for an address is
    /// accepted if one of those walks found it there; a correct re-check is such a load, so a correct GUP always is.
    /// </remarks>
    public sealed class GupAudit
    {
        private const int Tracked = 64; // addresses of one call whose mapping is followed (a bit each)

        private readonly Machine _m;
        private readonly Call?[] _calls; // per CPU inside a call
        private int _active;
        private int _lastEntered; // outside a run calls are sequential: the CPU a reference is taken for

        internal GupAudit(Machine machine)
        {
            _m = machine;
            _calls = new Call?[machine.Cpus.Length];
            machine.Memory.Gup = this;
        }

        private sealed class Call
        {
            public Mm Mm = null!;
            public ulong Start;
            public int Count;
            public readonly Dictionary<int, ulong> Seen = new(); // head frame referenced → addresses it was seen mapped at
        }

        /// <summary>
        /// A GUP call on <paramref name="cpu"/> of <paramref name="count"/> pages of <paramref name="mm"/> from
        /// <paramref name="start"/> begins.
        /// </summary>
        public void Enter(Cpu cpu, Mm mm, ulong start, int count)
        {
            ArgumentNullException.ThrowIfNull(cpu);
            ArgumentNullException.ThrowIfNull(mm);
            _lastEntered = cpu.Id;
            var call = _calls[cpu.Id];
            if (call is null)
            {
                _calls[cpu.Id] = call = new Call();
                System.Threading.Interlocked.Increment(ref _active);
            }
            call.Seen.Clear();
            call.Mm = mm;
            call.Start = start & ~((ulong)_m.Geometry.PageSize - 1);
            call.Count = Math.Min(count, Tracked);
        }

        /// <summary>
        /// The call on <paramref name="cpu"/> returns <paramref name="pages"/>, one per page from its start; a page
        /// returned that breaks the contract is a <see cref="ViolationKind.GupNotLinearizable"/> violation.
        /// </summary>
        public void Return(Cpu cpu, ReadOnlySpan<int> pages)
        {
            ArgumentNullException.ThrowIfNull(cpu);
            var call = _calls[cpu.Id] ?? throw new InvalidOperationException($"{cpu} returns from a GUP call it never entered");
            Look(call);
            for (var i = 0; i < Math.Min(pages.Length, call.Count); i++)
            {
                var head = _m.Memory.HeadFrame(pages[i]);
                if (!call.Seen.TryGetValue(head, out var at) || (at & (1UL << i)) != 0) continue; // not its reference, or seen
                var address = call.Start + ((ulong)i << _m.Geometry.PageShift);
                _m.Violations.Report(ViolationKind.GupNotLinearizable, cpu.Id,
                    $"GUP on cpu{cpu.Id} returned frame {pages[i]} for {address:x}, which was not mapped there at any instant it held a reference (no re-check of the PTE after the grab?)");
            }
            _calls[cpu.Id] = null;
            System.Threading.Interlocked.Decrement(ref _active);
        }

        /// <summary>The calling CPU took a reference on the page headed by <paramref name="head"/>.</summary>
        internal void Referenced(int head)
        {
            if (System.Threading.Volatile.Read(ref _active) == 0 || _calls[CurrentCpu()] is not { } call) return;
            if (call.Seen.TryAdd(head, 0)) Look(call);
        }

        /// <summary>The calling CPU loaded a page-table entry: an instant at which its references are held.</summary>
        internal void Loaded()
        {
            if (System.Threading.Volatile.Read(ref _active) == 0 || _calls[CurrentCpu()] is not { Seen.Count: > 0 } call) return;
            Look(call);
        }

        private int CurrentCpu() => _m.Scheduling.Current?.Id ?? _lastEntered;

        // Which referenced pages the tables map at which address of the call, now.
        private void Look(Call call)
        {
            for (var i = 0; i < call.Count; i++)
            {
                var page = PageTables.TranslateQuietly(_m, call.Mm, call.Start + ((ulong)i << _m.Geometry.PageShift));
                if (page == 0) continue;
                var head = _m.Memory.HeadFrame(page);
                if (call.Seen.TryGetValue(head, out var at)) call.Seen[head] = at | (1UL << i);
            }
        }
    }
}
