using System.Collections.Generic;
using System.Linq;
using Shootdown.Reference;
using Shootdown.Runtime.Tests.Generated;
using Shootdown.Simulation;

namespace Shootdown.Runtime.Tests.Differential
{
    /// <summary>
    /// The generated page batches against the reference's where random programs on small machines cannot go: more pages
    /// in one gather than MAX_GATHER_BATCH_COUNT batch pages hold, and batch pages the allocator refuses.
    /// </summary>
    public sealed class PageBatchDifferentialTests
    {
        public static IEnumerable<object[]> Gathering() =>
            CatalogArchitectures.All().Where(row => !CatalogArchitectures.Get((string)row[0]).Descriptor.Has(GatherOptions.NoGather));

        [Theory]
        [MemberData(nameof(Gathering))]
        public void Batch_chaining_and_the_batch_count_limit_match_the_reference(string name)
        {
            AssertSameTrace(name, failBatchPages: 0);
        }

        // With MAX_GATHER_BATCH_COUNT 0 (256 KiB pages: 10000 / 65533) tlb_next_batch never asks for a batch page, so
        // there is none to refuse.
        public static IEnumerable<object[]> GatheringWithBatchPages() =>
            Gathering().Where(row => GatherGeometry.MaxGatherBatchCount(CatalogArchitectures.Get((string)row[0]).Descriptor) > 0);

        [Theory]
        [MemberData(nameof(GatheringWithBatchPages))]
        public void Refused_batch_pages_match_the_reference(string name)
        {
            // The first batch pages cannot be had: the gather flushes every bundle until the allocator gives one again.
            AssertSameTrace(name, failBatchPages: 3);
        }

        private static void AssertSameTrace(string name, int failBatchPages)
        {
            var generated = CatalogArchitectures.Get(name);
            var reference = new ArchitectureOps<ReferenceGather, ReferenceFastGup>(generated.Descriptor);
            var d = generated.Descriptor;
            // One and a half times what a gather can hold before it must flush: the batch count limit is hit, the batch
            // pages are reused after the flush, and the last ones are given back at tlb_finish_mmu.
            var capacity = GatherGeometry.PagesBeforeFlush(d);
            var pages = capacity * 3 / 2;
            var (expected, referenceBatchPages) = Unmap(reference, pages, failBatchPages);
            var (actual, generatedBatchPages) = Unmap(generated, pages, failBatchPages);
            // tlb_next_batch (mm/mmu_gather.c) checks batch_count against MAX_GATHER_BATCH_COUNT before
            // __get_free_page: a gather that fills its bundle and every batch page takes exactly that many, and none
            // at all where the count is 0 (256 KiB pages). A table batch page (tlb_remove_table) is not one of them.
            if (failBatchPages == 0)
            {
                Assert.Equal(GatherGeometry.MaxGatherBatchCount(d), referenceBatchPages);
                Assert.Equal(GatherGeometry.MaxGatherBatchCount(d), generatedBatchPages);
            }
            else
            {
                Assert.Contains(expected, e => e.Contains(" AllocationFailed ", System.StringComparison.Ordinal));
                Assert.True(referenceBatchPages > 0, "the gather never got a batch page once the allocator gave them again");
            }
            var difference = TraceDifference.Describe(d, seed: 0, expected, actual);
            Assert.True(difference is null, difference);
        }

        // The trace, and how many gather batch pages (not table batch pages) tlb_next_batch allocated.
        private static (List<string> Trace, int GatherBatchPages) Unmap(ArchitectureOps ops, int pages, int failBatchPages)
        {
            var (m, mm) = CatalogArchitectures.Boot(ops, frames: pages + 4096);
            var pageSize = (ulong)m.Geometry.PageSize;
            var length = (ulong)pages * pageSize;
            var start = CatalogArchitectures.PmdAlignedStart(m, length);
            AddressSpace.Mmap(m, mm, start, length, VmaFlags.Write);
            Assert.True(AddressSpace.Populate(m.Cpu(0), mm, start, start + length));
            m.Trace.Enabled = true;
            if (failBatchPages > 0) m.Memory.FailNext(FrameUse.GatherBatch, failBatchPages);
            ops.Munmap(m.Cpu(0), mm, start, length);
            m.Rcu.Quiesce();
            Assert.Empty(m.Violations.All);
            var trace = m.Trace.Snapshot();
            // TableBatch.TryAllocate records a table batch page with B = 1.
            var batchPages = trace.Count(e => e.Kind == EventKind.BatchAllocated && e.B == 0);
            return (trace.Select(e => e.ToString()).ToList(), batchPages);
        }
    }
}
