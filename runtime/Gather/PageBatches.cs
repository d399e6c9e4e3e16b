using System;
using System.Collections.Generic;

namespace Shootdown.Simulation
{
    /// <summary>
    /// The page batches of one gather (<c>tlb->local</c>, <c>tlb->active</c>, <c>batch_count</c>): an on-stack bundle
    /// of <see cref="GatherGeometry.Bundle"/> pages, then batch pages of <c>MAX_GATHER_BATCH</c> taken from the allocator
    /// (<c>GFP_NOWAIT</c>: may fail), at most <c>MAX_GATHER_BATCH_COUNT</c> of them. Batch pages stay with the gather
    /// across flushes and go back at <see cref="Release"/>, as in <c>tlb_batch_list_free</c>. Gathers take them with
    /// <see cref="Rent"/>, which reuses the objects of finished gathers on the same machine.
    /// </summary>
    public sealed class PageBatches
    {
        private sealed class Batch
        {
            public readonly int[] Pages;
            public int Nr;
            public int Frame;
            public Batch? Next;

            public Batch(int max, int frame)
            {
                Pages = new int[max];
                Frame = frame;
            }
        }

        private readonly Machine _machine;
        private readonly int _maxBatch;
        private readonly int _maxBatchCount;
        private readonly Batch _local = new(GatherGeometry.Bundle, 0);
        private Batch _active;
        private int _batchCount;
        private readonly Stack<Batch> _spare = new();

        /// <summary>Batches on <paramref name="machine"/> of <paramref name="maxBatch"/> pages, at most <paramref name="maxBatchCount"/>.</summary>
        public PageBatches(Machine machine, int maxBatch, int maxBatchCount)
        {
            _machine = machine;
            _maxBatch = maxBatch;
            _maxBatchCount = maxBatchCount;
            _active = _local;
        }

        /// <summary>
        /// Empty batches for a gather on <paramref name="machine"/>: those of a finished gather (see <see cref="Release"/>)
        /// when there is one of the same sizes, else new ones.
        /// </summary>
        public static PageBatches Rent(Machine machine, int maxBatch, int maxBatchCount)
        {
            ArgumentNullException.ThrowIfNull(machine);
            return machine.SparePageBatches.Take(SizeKey(maxBatch, maxBatchCount)) ?? new PageBatches(machine, maxBatch, maxBatchCount);
        }

        private static int SizeKey(int maxBatch, int maxBatchCount) => maxBatch << 12 ^ maxBatchCount;

        /// <summary>Batch pages taken from the allocator so far (<c>tlb->batch_count</c>).</summary>
        public int BatchCount => _batchCount;

        /// <summary>Pages queued and not yet freed.</summary>
        public int Queued
        {
            get
            {
                var n = 0;
                for (var b = _local; b != null; b = b.Next) n += b.Nr;
                return n;
            }
        }

        /// <summary>
        /// <c>__tlb_remove_folio_pages_size</c>: queue <paramref name="pfn"/>; when the active batch is full, move to the
        /// next or allocate one (<c>tlb_next_batch</c>). True when there is no room left and the caller must flush.
        /// </summary>
        public bool Add(int pfn, int cpu)
        {
            var batch = _active;
            batch.Pages[batch.Nr++] = pfn;
            _machine.Trace.Record(EventKind.PageBatched, cpu, (ulong)pfn);
            if (batch.Nr >= batch.Pages.Length - 1)
            {
                if (!NextBatch(cpu)) return true;
            }
            return false;
        }

        private bool NextBatch(int cpu)
        {
            if (_active.Next != null)
            {
                _active = _active.Next;
                return true;
            }
            if (_batchCount == _maxBatchCount) return false;
            var frame = _machine.Memory.TryAllocate(FrameUse.GatherBatch, cpu);
            if (frame == 0) return false;
            _batchCount++;
            _machine.Trace.Record(EventKind.BatchAllocated, cpu, (ulong)frame);
            var batch = _spare.Count > 0 ? _spare.Pop() : new Batch(_maxBatch, 0);
            batch.Frame = frame;
            batch.Nr = 0;
            batch.Next = null;
            _active.Next = batch;
            _active = batch;
            return true;
        }

        /// <summary><c>tlb_batch_pages_flush</c>: drop the gather's reference on every queued page; back to the bundle.</summary>
        public void FreePages(int cpu)
        {
            for (var b = _local; b != null && b.Nr > 0; b = b.Next)
            {
                _machine.Memory.PutPages(b.Pages.AsSpan(0, b.Nr), cpu); // free_pages_and_swap_cache
                b.Nr = 0;
            }
            _active = _local;
        }

        /// <summary>
        /// <c>tlb_batch_list_free</c>: give the batch pages back to the allocator. The object then serves a later
        /// <see cref="Rent"/> and must not be used by this gather again.
        /// </summary>
        public void Release(int cpu)
        {
            var b = _local.Next;
            _local.Next = null;
            while (b != null)
            {
                var next = b.Next;
                _machine.Memory.Free(b.Frame, cpu);
                b.Next = null;
                _spare.Push(b);
                b = next;
            }
            _batchCount = 0;
            _active = _local;
            _machine.SparePageBatches.Give(this, SizeKey(_maxBatch, _maxBatchCount));
        }
    }
}
