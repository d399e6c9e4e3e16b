using Shootdown.Reference;
using Shootdown.Simulation;
using static Shootdown.Runtime.Tests.Reference.TestMachines;

namespace Shootdown.Runtime.Tests.Reference
{
    /// <summary>
    /// Batch sizes at every page size Linux ships, as include/asm-generic/tlb.h computes them, and a gather with 256 KiB
    /// pages (CONFIG_PPC_256K_PAGES, hexagon), whose MAX_GATHER_BATCH_COUNT is 0.
    /// </summary>
    public sealed class PageSizeTests
    {
        [Theory]
        // (PAGE_SIZE - sizeof(struct mmu_gather_batch)) / sizeof(void *): the header is next, nr, max.
        [InlineData(4096, 64, 510, 19)]
        [InlineData(16384, 64, 2046, 4)]
        [InlineData(65536, 64, 8190, 1)]
        [InlineData(262144, 64, 32766, 0)]
        [InlineData(262144, 32, 65533, 0)]
        [InlineData(16384, 32, 4093, 2)]
        public void MaxGatherBatch_and_its_count_are_Linux_arithmetic(int pageSize, int wordBits, int batch, int count)
        {
            Assert.Equal(batch, GatherGeometry.MaxGatherBatch(pageSize, wordBits));
            Assert.Equal(count, GatherGeometry.MaxGatherBatchCount(pageSize, wordBits));
        }

        [Theory]
        // (PAGE_SIZE - sizeof(struct mmu_table_batch)) / sizeof(void *): rcu_head (two pointers) and nr, pointer aligned.
        [InlineData(262144, 64, true, 32765)]
        [InlineData(262144, 64, false, 32767)]
        [InlineData(262144, 32, true, 65533)]
        [InlineData(262144, 32, false, 65535)]
        public void MaxTableBatch_at_256k_pages(int pageSize, int wordBits, bool rcuHead, int expected) =>
            Assert.Equal(expected, GatherGeometry.MaxTableBatch(pageSize, wordBits, rcuHead));

        [Fact]
        public void Every_page_size_Linux_ships_is_accepted_and_128k_is_not()
        {
            foreach (var size in new[] { 4096, 8192, 16384, 32768, 65536, 262144 })
                Assert.DoesNotContain(DescriptorRules.Check(X86Like() with { PageSize = size, Levels = 3 }), f => f.Id == DescriptorRules.BadPageSize);
            Assert.Contains(DescriptorRules.Check(X86Like() with { PageSize = 131072, Levels = 3 }), f => f.Id == DescriptorRules.BadPageSize);
        }

        [Fact]
        public void With_256k_pages_the_gather_has_no_batch_page_and_flushes_when_the_bundle_fills()
        {
            // MAX_GATHER_BATCH_COUNT = 10000 / 32766 = 0: tlb_next_batch refuses at once, so the 8-entry bundle is all
            // there is, full one entry early (nr >= max - 1).
            var d = X86Like() with { PageSize = 262144, Levels = 3 };
            Assert.Equal(GatherGeometry.Bundle - 1, GatherGeometry.PagesBeforeFlush(d));
            var (m, mm, c0, _) = Boot(d, frames: 32);
            var tlb = ReferenceGather.Begin(c0, mm, fullmm: false);
            var pfn = m.Memory.TryAllocate(FrameUse.Data);
            var full = 0;
            for (var i = 0; i < 64 && full == 0; i++)
            {
                m.Memory.Get(pfn);
                if (tlb.RemovePage(pfn, (ulong)d.PageSize)) full = i + 1;
            }
            Assert.Equal(GatherGeometry.Bundle - 1, full);
            Assert.Equal(0, tlb.BatchCount);
            tlb.RemoveTlbEntry(0, Base);
            tlb.FlushMmu();
            Assert.Equal(0, tlb.QueuedPages);
            tlb.Finish();
        }
    }
}
