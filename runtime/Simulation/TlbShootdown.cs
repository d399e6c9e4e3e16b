using System.Numerics;

namespace Shootdown.Simulation
{
    /// <summary>
    /// Cross-CPU TLB invalidation, one method per mechanism so specialized code calls exactly the one its architecture
    /// has and never tests a mode at run time.
    /// </summary>
    public sealed class TlbShootdown
    {
        private readonly Machine _machine;

        internal TlbShootdown(Machine machine) => _machine = machine;

        /// <summary>
        /// <c>flush_tlb_mm_range</c> with IPIs: flush locally, then interrupt every other CPU in the mm's cpumask and wait
        /// for each to flush. <paramref name="freedTables"/> also drops page-walk caches.
        /// </summary>
        public void FlushRangeByIpi(Cpu initiator, Mm mm, ulong start, ulong end, bool freedTables)
        {
            _machine.Trace.Record(EventKind.LocalFlush, initiator.Id, start, end, freedTables ? 1UL : 0);
            FlushOne(initiator, mm, start, end, freedTables);
            var others = mm.CpuMask & ~(1L << initiator.Id);
            if (others == 0) return;
            _machine.Trace.Record(EventKind.IpiFlush, initiator.Id, start, end, (ulong)others);
            foreach (var cpu in Targets(others)) FlushOne(cpu, mm, start, end, freedTables);
        }

        /// <summary>
        /// Hardware-broadcast invalidation (<c>TLBI IS</c>, <c>IPTE</c>, <c>tlbie</c>): every CPU drops the range, no CPU is
        /// interrupted and none is waited for.
        /// </summary>
        public void FlushRangeByBroadcast(Cpu initiator, Mm mm, ulong start, ulong end, bool freedTables)
        {
            _machine.Trace.Record(EventKind.BroadcastFlush, initiator.Id, start, end, freedTables ? 1UL : 0);
            foreach (var cpu in _machine.Cpus) FlushOne(cpu, mm, start, end, freedTables);
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
            foreach (var cpu in _machine.Cpus)
            {
                if (cpu == initiator) continue;
                _machine.Trace.Record(EventKind.IpiSent, initiator.Id, (ulong)cpu.Id);
                _machine.Trace.Record(EventKind.IpiTaken, cpu.Id, (ulong)initiator.Id);
            }
        }

        private void FlushOne(Cpu cpu, Mm mm, ulong start, ulong end, bool freedTables)
        {
            if (start == 0 && end >= _machine.Geometry.TaskSize) cpu.Tlb.FlushMm(mm.Id);
            else cpu.Tlb.FlushRange(mm.Id, start, end);
            if (freedTables)
            {
                cpu.WalkCache.FlushMm(mm.Id);
                _machine.Trace.Record(EventKind.WalkCacheFlush, cpu.Id, (ulong)mm.Id);
            }
        }

        private System.Collections.Generic.IEnumerable<Cpu> Targets(long mask)
        {
            while (mask != 0)
            {
                var id = BitOperations.TrailingZeroCount(mask);
                mask &= mask - 1;
                if (id < _machine.Cpus.Length) yield return _machine.Cpus[id];
            }
        }
    }
}
