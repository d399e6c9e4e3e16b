using System;
using Shootdown.Simulation;
using static Shootdown.Runtime.Tests.Reference.TestMachines;

namespace Shootdown.Runtime.Tests.Reference
{
    /// <summary>
    /// The life of a gather's batch pages (mm/mmu_gather.c): <c>tlb_next_batch</c> allocates them, a flush empties them
    /// but keeps them, <c>tlb_batch_list_free</c> gives them back; a table batch page goes with its tables
    /// (<c>__tlb_remove_table_free</c>). A batch page that is never freed is memory lost on every munmap.
    /// </summary>
    public sealed class BatchLifecycleTests
    {
        private static int InUse(Machine m, FrameUse use) => m.Memory.CountByUse()[use];

        [Fact]
        public void Page_batches_are_kept_across_a_flush_and_given_back_at_the_end()
        {
            var (m, _, _, _) = Boot(X86Like());
            m.Trace.Enabled = true;
            var batches = PageBatches.Rent(m, maxBatch: 4, maxBatchCount: 3);
            var pages = new int[GatherGeometry.Bundle + 1];
            for (var i = 0; i < pages.Length; i++) pages[i] = m.Memory.TryAllocate(FrameUse.Data);

            // The bundle is full one slot early (room for a "page + nr_pages" pair), so the 7th page takes a batch page.
            for (var i = 0; i < pages.Length; i++) Assert.False(batches.Add(pages[i], 0), $"page {i} asked for a flush");
            Assert.Equal(pages.Length, batches.Queued);
            Assert.Equal(1, batches.BatchCount);
            Assert.Equal(1, InUse(m, FrameUse.GatherBatch));
            Assert.Equal(1, m.Trace.Count(EventKind.BatchAllocated));

            batches.FreePages(0); // tlb_batch_pages_flush: the gather's references go, the batch page stays
            Assert.Equal(0, batches.Queued);
            foreach (var pfn in pages) Assert.Equal(0, m.Memory.Counts(pfn).References);
            Assert.Equal(1, InUse(m, FrameUse.GatherBatch));

            // Refilling walks into the batch page already chained, without allocating or asking for a flush.
            for (var i = 0; i < pages.Length; i++)
            {
                pages[i] = m.Memory.TryAllocate(FrameUse.Data);
                Assert.False(batches.Add(pages[i], 0), $"page {i} of the refill asked for a flush");
            }
            Assert.Equal(1, batches.BatchCount);
            Assert.Equal(1, m.Trace.Count(EventKind.BatchAllocated));
            batches.FreePages(0);

            batches.Release(0); // tlb_batch_list_free
            Assert.Equal(0, batches.BatchCount);
            Assert.Equal(0, InUse(m, FrameUse.GatherBatch));
        }

        [Fact]
        public void A_released_gather_serves_the_next_one_of_the_same_sizes_only()
        {
            var (m, _, _, _) = Boot(X86Like());
            var first = PageBatches.Rent(m, maxBatch: 4, maxBatchCount: 3);
            first.Release(0);
            var other = PageBatches.Rent(m, maxBatch: 8, maxBatchCount: 3);
            Assert.NotSame(first, other);
            Assert.Same(first, PageBatches.Rent(m, maxBatch: 4, maxBatchCount: 3));
        }

        [Fact]
        public void A_table_batch_frees_its_tables_and_its_page_and_refuses_misuse()
        {
            var (m, _, _, _) = Boot(X86Like());
            m.Trace.Enabled = true;
            var batch = TableBatch.TryAllocate(m, max: 2, cpu: 0)!;
            Assert.NotEqual(0, batch.Frame);
            Assert.Equal(1, InUse(m, FrameUse.TableBatch));
            Assert.Equal(1, m.Trace.Count(EventKind.BatchAllocated));
            var a = m.Tables.Allocate(0, 0);
            var b = m.Tables.Allocate(0, 0);
            batch.Add(a, 0);
            batch.Add(b, 0);
            Assert.Equal(2, m.Trace.Count(EventKind.TableBatched));
            Assert.True(batch.IsFull);
            Assert.Throws<InvalidOperationException>(() => batch.Add(m.Tables.Allocate(0, 0), 0));

            batch.FreeNow(0);
            Assert.False(PageTables.IsLive(m, a));
            Assert.False(PageTables.IsLive(m, b));
            Assert.Equal(0, batch.Count);
            Assert.Equal(0, InUse(m, FrameUse.TableBatch));
            Assert.Throws<InvalidOperationException>(() => batch.FreeNow(0));

            // The object serves the next batch page, so queueing a batch allocates nothing.
            Assert.Same(batch, TableBatch.TryAllocate(m, max: 2, cpu: 0));
        }
    }
}
