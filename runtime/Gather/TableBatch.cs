using System;

namespace Shootdown.Simulation
{
    /// <summary>
    /// One <c>struct mmu_table_batch</c>: a page (taken from the allocator with <c>GFP_NOWAIT</c>, so it may fail) that
    /// holds up to <c>MAX_TABLE_BATCH</c> page tables waiting to be freed, directly or after an RCU grace period.
    /// </summary>
    public sealed class TableBatch
    {
        private readonly Machine _machine;
        private readonly TableRef[] _tables;
        private int _freeingCpu;

        private TableBatch(Machine machine, int max)
        {
            _machine = machine;
            _tables = new TableRef[max];
            FreeCallback = FreeFromRcu;
        }

        /// <summary>The batch page.</summary>
        public int Frame { get; private set; }

        /// <summary>Tables queued (<c>batch->nr</c>).</summary>
        public int Count { get; private set; }

        /// <summary>True when <c>nr == MAX_TABLE_BATCH</c>.</summary>
        public bool IsFull => Count == _tables.Length;

        /// <summary>The callback <c>call_rcu</c> runs: <c>tlb_remove_table_rcu</c>. Made once, so queueing allocates nothing.</summary>
        public Action FreeCallback { get; }

        /// <summary>
        /// Allocates a batch page for <paramref name="max"/> tables (<c>__get_free_page(GFP_NOWAIT)</c>); null when the
        /// allocation fails and the caller must take the <c>tlb_remove_table_one</c> path.
        /// </summary>
        public static TableBatch? TryAllocate(Machine machine, int max, int cpu)
        {
            var frame = machine.Memory.TryAllocate(FrameUse.TableBatch, cpu);
            if (frame == 0) return null;
            machine.Trace.Record(EventKind.BatchAllocated, cpu, (ulong)frame, 1);
            var batch = machine.SpareTableBatches.Take(max) ?? new TableBatch(machine, max);
            batch.Frame = frame;
            return batch;
        }

        /// <summary>Queues <paramref name="table"/> (<c>batch->tables[batch->nr++] = table</c>).</summary>
        public void Add(TableRef table, int cpu)
        {
            if (IsFull) throw new InvalidOperationException("table batch is full: flush it before adding");
            _tables[Count++] = table;
            _machine.Trace.Record(EventKind.TableBatched, cpu, (ulong)table.Pfn, (ulong)table.Fragment);
        }

        /// <summary><c>__tlb_remove_table_free</c>: free every table (<c>__tlb_remove_table</c>), then the batch page.</summary>
        public void FreeNow(int cpu)
        {
            if (Frame == 0) throw new InvalidOperationException("this table batch was freed already");
            for (var i = 0; i < Count; i++)
            {
                _machine.Tables.Free(_tables[i], cpu);
                FragmentFreed(_machine, _tables[i], cpu);
            }
            Count = 0;
            _machine.Memory.Free(Frame, cpu);
            Frame = 0;
            _machine.SpareTableBatches.Give(this, _tables.Length); // its page is free: the object serves the next batch page
        }

        /// <summary>Remembers which CPU queued the RCU free, for the trace.</summary>
        public void QueueRcu(Cpu cpu)
        {
            _freeingCpu = cpu.Id;
            _machine.Rcu.CallRcu(cpu, FreeCallback);
        }

        private void FreeFromRcu() => FreeNow(_freeingCpu);

        /// <summary>
        /// After a fragment of a page was freed: if another fragment of the page had its free deferred
        /// (<c>pte_free_defer</c>) and this was the last one in use, the page's one deferred free is queued now, as s390's
        /// <c>__tlb_remove_table</c> does with <c>folio_test_clear_active</c>.
        /// </summary>
        public static void FragmentFreed(Cpu cpu, TableRef table) => FragmentFreed(cpu.Machine, table, cpu.Id);

        /// <inheritdoc cref="FragmentFreed(Cpu, TableRef)"/>
        public static void FragmentFreed(Machine machine, TableRef table, int cpu)
        {
            if (machine.Descriptor.HasFragments) Kernel.PteFreeDefer.LastFragmentFreed(machine, table.Pfn, cpu);
        }
    }
}
