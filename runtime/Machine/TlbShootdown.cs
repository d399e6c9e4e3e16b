using System;

namespace Shootdown.Simulation
{
    /// <summary>
    /// Cross-CPU TLB invalidation, one method per mechanism so specialized code calls exactly the one its architecture
    /// has and never tests a mode at run time.
    /// </summary>
    public sealed class TlbShootdown
    {
        private readonly Machine _machine;
        private readonly SparePool<RangeFlush> _spare = new();

        internal TlbShootdown(Machine machine) => _machine = machine;

        // The IPI handler of one flush_tlb_mm_range: its arguments and a delegate made once, so that a flush, which the
        // sender waits for, allocates nothing once the object is reused.
        private sealed class RangeFlush
        {
            public RangeFlush(TlbShootdown owner) => Handler = cpu => owner.FlushOne(cpu, Mm, Start, End, FreedTables);

            public Mm Mm = null!;
            public ulong Start;
            public ulong End;
            public bool FreedTables;

            public Action<Cpu> Handler { get; }
        }

        /// <summary>
        /// <c>flush_tlb_mm_range</c> with IPIs: flush locally, then interrupt every other CPU in the mm's cpumask and
        /// wait until each ran the flush, so a CPU with interrupts off holds the caller. <paramref name="freedTables"/>
        /// also drops page-walk caches. As on x86, a CPU that only keeps the mm lazily is skipped unless tables were freed
        /// (its walker could still use them); it flushes when it switches back.
        /// </summary>
        public void FlushRangeByIpi(Cpu initiator, Mm mm, ulong start, ulong end, bool freedTables)
        {
            if (_machine.Faulty(Fault.ParavirtFlushWithoutRcuTableFree))
            {
                // A paravirt flush_tlb_multi (Hyper-V, Xen) flushes by hypercall: nobody is interrupted, nobody waited for.
                FlushRangeByBroadcast(initiator, mm, start, end, freedTables);
                return;
            }
            CheckRange(initiator, mm, start, end);
            _machine.Trace.Record(EventKind.LocalFlush, initiator.Id, start, end, freedTables ? 1UL : 0);
            FlushOne(initiator, mm, start, end, freedTables);
            var targets = 0L;
            for (var mask = mm.CpuMask & ~(1L << initiator.Id); mask != 0; mask &= mask - 1)
            {
                var id = System.Numerics.BitOperations.TrailingZeroCount(mask);
                if (id >= _machine.Cpus.Length) continue;
                var cpu = _machine.Cpus[id];
                _machine.Scheduling.Touch(SharedObject.Cpu(id), true); // its loaded mm, and the flush it may owe
                if (!freedTables && cpu.ActiveMm != mm && cpu.LazyMm == mm)
                {
                    cpu.LazyFlushOwed = true; // should_flush_tlb(): lazy CPUs catch up at switch_mm
                    continue;
                }
                targets |= 1L << id;
            }
            if (targets == 0) return;
            _machine.Trace.Record(EventKind.IpiFlush, initiator.Id, start, end, (ulong)targets);
            // Before f36391d2790d sparc64 sent its batch flush cross call and went on without waiting for the targets.
            var wait = !_machine.Faulty(Fault.IpiFlushWithoutWait);
            var flush = (wait ? _spare.Take(0) : null) ?? new RangeFlush(this);
            flush.Mm = mm;
            flush.Start = start;
            flush.End = end;
            flush.FreedTables = freedTables;
            _machine.CrossCalls.CallFunctionMany(initiator, targets, flush.Handler, wait);
            if (!wait) return; // still pending on the targets: not reused
            flush.Mm = null!;
            _spare.Give(flush, 0);
        }

        /// <summary>
        /// Hardware-broadcast invalidation (<c>TLBI IS</c>, <c>IPTE</c>, <c>tlbie</c>): every CPU drops the range, no CPU is
        /// interrupted and none is waited for, whatever its interrupts flag.
        /// </summary>
        public void FlushRangeByBroadcast(Cpu initiator, Mm mm, ulong start, ulong end, bool freedTables)
        {
            CheckRange(initiator, mm, start, end);
            _machine.Scheduling.Point(StepKind.Other);
            _machine.Trace.Record(EventKind.BroadcastFlush, initiator.Id, start, end, freedTables ? 1UL : 0);
            // TLBI + DSB completes only after walks in flight finished; their fills are dropped too. (In a controlled
            // run a walk is one step, so none is ever in flight here; on real threads one may be.) The walk sequences
            // are read before the caches are flushed: a walk that read an entry before it was cleared and filled its
            // TLB after this flush, but finished before a later look, would leave its fill behind. Every walk that
            // starts after this read sees the cleared entries.
            var cpus = _machine.Cpus;
            Span<int> inFlight = cpus.Length <= 64 ? stackalloc int[cpus.Length] : new int[cpus.Length];
            for (var i = 0; i < cpus.Length; i++)
            {
                if (cpus[i] == initiator) continue;
                _machine.Scheduling.Touch(SharedObject.Cpu(cpus[i].Id), false);
                inFlight[i] = System.Threading.Volatile.Read(ref cpus[i].WalkSequence);
            }
            foreach (var cpu in cpus) FlushOne(cpu, mm, start, end, freedTables);
            for (var i = 0; i < cpus.Length; i++)
            {
                if (cpus[i] == initiator || (inFlight[i] & 1) == 0) continue;
                WaitForWalk(initiator, cpus[i], inFlight[i]);
                FlushOne(cpus[i], mm, start, end, freedTables);
            }
        }

        private void WaitForWalk(Cpu initiator, Cpu walker, int sequence) =>
            _machine.Scheduling.WaitUntil(initiator, () => System.Threading.Volatile.Read(ref walker.WalkSequence) != sequence, "a hardware walk in flight");

        /// <summary>
        /// True when a flush of <paramref name="mm"/> is a hardware broadcast: the descriptor says so for every mm, or it
        /// has <see cref="ArchDescriptor.GlobalAsidBroadcast"/> and the mm holds a global ASID (x86 <c>flush_tlb_mm_range</c>).
        /// For the kernel code outside the gather; generated code emits the test itself only when the descriptor has it.
        /// </summary>
        public bool Broadcasts(Mm mm)
        {
            ArgumentNullException.ThrowIfNull(mm);
            var d = _machine.Descriptor;
            return d.Invalidation == Invalidation.HardwareBroadcast || (d.GlobalAsidBroadcast && mm.GlobalAsid);
        }

        /// <summary><c>flush_tlb_range</c> by whichever mechanism <see cref="Broadcasts"/> picks for <paramref name="mm"/>.</summary>
        public void FlushRange(Cpu initiator, Mm mm, ulong start, ulong end, bool freedTables)
        {
            if (Broadcasts(mm)) FlushRangeByBroadcast(initiator, mm, start, end, freedTables);
            else FlushRangeByIpi(initiator, mm, start, end, freedTables);
        }

        /// <summary><c>flush_tlb_mm</c> with IPIs: the whole mm, walk caches included.</summary>
        public void FlushMmByIpi(Cpu initiator, Mm mm) => FlushRangeByIpi(initiator, mm, 0, _machine.Geometry.TaskSize, freedTables: true);

        /// <summary><c>flush_tlb_mm</c> by hardware broadcast.</summary>
        public void FlushMmByBroadcast(Cpu initiator, Mm mm) => FlushRangeByBroadcast(initiator, mm, 0, _machine.Geometry.TaskSize, freedTables: true);

        /// <summary>
        /// <c>tlb_remove_table_sync_one</c>: <c>smp_call_function</c> of an empty handler on every other CPU, waiting for
        /// each. Not a grace period, but enough for walkers that rely on interrupts being off.
        /// </summary>
        public void SyncAllByIpi(Cpu initiator)
        {
            if (initiator is null) throw new ArgumentNullException(nameof(initiator));
            _machine.CrossCalls.CallFunction(initiator, static _ => { }, wait: true);
        }

        /// <summary><c>flush_tlb_all</c> by IPI: every CPU drops every translation and walk-cache entry.</summary>
        public void FlushAllByIpi(Cpu initiator)
        {
            if (initiator is null) throw new ArgumentNullException(nameof(initiator));
            FlushAllLocal(initiator);
            _machine.CrossCalls.CallFunction(initiator, FlushAllLocal, wait: true);
        }

        private void FlushAllLocal(Cpu cpu)
        {
            _machine.Trace.Record(EventKind.LocalFlush, cpu.Id, 0, _machine.Geometry.TaskSize, 1);
            cpu.Tlb.FlushAll();
            cpu.WalkCache.FlushAll();
        }

        private void FlushOne(Cpu cpu, Mm mm, ulong start, ulong end, bool freedTables)
        {
            if (start == 0 && end >= _machine.Geometry.TaskSize) cpu.Tlb.FlushMm(mm.Id);
            else cpu.Tlb.FlushRange(mm.Id, start, end);
            if (freedTables)
            {
                cpu.WalkCache.FlushMm(mm.Id);
                _machine.Trace.Record(EventKind.WalkCacheFlush, cpu.Id, start, end);
            }
        }

        private void CheckRange(Cpu initiator, Mm mm, ulong start, ulong end)
        {
            if (initiator is null) throw new ArgumentNullException(nameof(initiator));
            if (mm is null) throw new ArgumentNullException(nameof(mm));
            if (initiator.Machine != _machine) throw new ArgumentException($"{initiator} belongs to another machine", nameof(initiator));
            if (start >= end) throw new ArgumentException($"empty or inverted range [{start:x}, {end:x})", nameof(end));
            if (end > _machine.Geometry.TaskSize)
                throw new ArgumentOutOfRangeException(nameof(end), $"[{start:x}, {end:x}) goes past the {_machine.Geometry.AddressBits}-bit user address space");
        }
    }
}
