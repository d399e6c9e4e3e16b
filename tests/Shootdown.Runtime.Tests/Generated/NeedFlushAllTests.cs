using System.Linq;
using Shootdown.Reference;
using Shootdown.Simulation;
using static Shootdown.Runtime.Tests.Generated.CatalogArchitectures;

namespace Shootdown.Runtime.Tests.Generated
{
    /// <summary>
    /// x86 PAE: freeing a PMD table sets <c>tlb->need_flush_all</c> (arch/x86/mm/pgtable.c <c>___pmd_free_tlb</c>), and
    /// x86's <c>tlb_flush()</c> then flushes the whole mm (<c>0</c> to <c>TLB_FLUSH_ALL</c>).
    /// </summary>
    public sealed class NeedFlushAllTests
    {
        private const ulong Gib = 1UL << 30;

        [Fact]
        public void A_freed_pmd_table_makes_every_later_flush_of_the_gather_a_full_one_and_only_begin_clears_it()
        {
            var d = Get("x86-pae").Descriptor;
            Assert.True(d.PmdFreeFlushesAll);
            var m = new Machine(d, 2, 1024);
            var mm = m.CreateMm()!;
            m.Trace.Enabled = true;
            var tlb = ReferenceGather.Begin(m.Cpu(0), mm, fullmm: false);
            tlb.RemoveTlbEntry(0, Gib + 0x3000);
            tlb.FreeTable(0, m.Tables.Allocate(0), Gib); // a PTE table: no need_flush_all
            Assert.False(tlb.NeedFlushAll);
            tlb.FreeTable(1, m.Tables.Allocate(1), Gib);
            Assert.True(tlb.NeedFlushAll);
            tlb.FlushMmuTlbOnly();
            Assert.True(tlb.NeedFlushAll); // __tlb_reset_range leaves it
            tlb.RemoveTlbEntry(0, 2 * Gib); // a later, unrelated range
            tlb.FlushMmuTlbOnly();
            var flushes = m.Trace.Snapshot().Where(e => e.Kind == EventKind.LocalFlush).Select(e => (e.A, e.B)).ToArray();
            Assert.Equal(new[] { (0UL, m.Geometry.TaskSize), (0UL, m.Geometry.TaskSize) }, flushes);
            tlb.Finish();
            Assert.False(ReferenceGather.Begin(m.Cpu(0), mm, fullmm: false).NeedFlushAll);
        }

        [Theory]
        [InlineData("x86-pae", true)]
        [InlineData("arm-lpae", false)] // the same shape, but ARM's __pmd_free_tlb sets nothing
        public void Munmap_that_frees_a_pmd_table_drops_every_translation_of_the_mm(string name, bool flushesAll)
        {
            foreach (var arch in new[] { Get(name), ArchitectureOps.Reference })
            {
                var m = new Machine(Get(name).Descriptor, 2, 4096);
                var mm = m.CreateMm()!;
                m.Cpu(0).SwitchTo(mm);
                m.Cpu(1).SwitchTo(mm);
                var page = (ulong)m.Geometry.PageSize;
                Assert.Equal(Gib, m.Geometry.EntrySize(2)); // one PMD table maps a GiB
                AddressSpace.Mmap(m, mm, Gib, 16 * page, VmaFlags.Write);
                AddressSpace.Mmap(m, mm, 2 * Gib, 16 * page, VmaFlags.Write);
                Assert.True(AddressSpace.Populate(m.Cpu(0), mm, Gib, Gib + 16 * page));
                Assert.True(AddressSpace.Populate(m.Cpu(0), mm, 2 * Gib, 2 * Gib + 16 * page));
                Assert.Equal(AccessResult.Ok, m.Mmu.Access(m.Cpu(1), mm, 2 * Gib)); // cpu1 caches the neighbour's translation
                m.Trace.Enabled = true;

                arch.Munmap(m.Cpu(0), mm, Gib, 16 * page); // nothing else in [0, 2 GiB): its PMD table goes

                var trace = m.Trace.Snapshot();
                Assert.Contains(trace, e => e.Kind == EventKind.EntryCleared && e.A == Gib && e.B == 2);
                var last = trace.Last(e => e.Kind is EventKind.LocalFlush or EventKind.BroadcastFlush);
                Assert.Equal(flushesAll, (last.A, last.B) == (0UL, m.Geometry.TaskSize));
                Assert.Equal(!flushesAll, m.Cpu(1).Tlb.TryLookup(mm.Id, 2 * Gib, out _));
                Assert.Empty(m.Violations.All);
            }
        }
    }
}
