using System.Linq;
using Shootdown.Reference;
using Shootdown.Simulation;
using static Shootdown.Runtime.Tests.Reference.TestMachines;

namespace Shootdown.Runtime.Tests.Reference
{
    /// <summary>
    /// The race rules SHD001 to SHD005 on the reference: each unsafe descriptor lets the invariant break, and the safe neighbour does
    /// not. Races with a lockless walker run under the controlled scheduler in every schedule up to a preemption bound;
    /// the others are a fixed sequence of steps on two CPUs.
    /// </summary>
    public sealed class UnsafeDescriptorTests
    {
        private static bool Has(Machine m, ViolationKind kind) => m.Violations.All.Any(v => v.Kind == kind);

        [Theory]
        [InlineData(GatherOptions.None, true)]          // rule 1: tlb_remove_table falls back to tlb_remove_page
        [InlineData(GatherOptions.RcuTableFree, false)]
        public void Fragments_without_TableFree_free_a_page_whose_other_fragment_is_live(GatherOptions options, bool broken)
        {
            var d = S390Like(options, syncClear: true);
            var (m, mm, c0, c1) = Boot(d);
            var pmd = m.Geometry.EntrySize(1);
            MapAndFault(m, mm, Base, pmd);
            MapAndFault(m, mm, Base + 4 * pmd, pmd); // a distant PMD: its PTE table is the other half of the page
            AddressSpace.Munmap<ReferenceGather>(c0, mm, Base, pmd);
            m.Rcu.Quiesce();
            m.Mmu.Access(c1, mm, Base + 4 * pmd); // a hardware walk of the surviving table
            // The allocator refuses to free a page with a live fragment and records the attempt; had it freed the page,
            // the walk above would have read a freed table.
            Assert.Equal(broken, Has(m, ViolationKind.FreeWhileReferenced));
            Assert.False(Has(m, ViolationKind.ReadFreedTable));
        }

        /// <summary>cpu0 unmaps four pages (and their tables); cpu1 runs fast GUP over them at the same time.</summary>
        private static (Machine, Scenario) MunmapVersusFastGup(ArchDescriptor d)
        {
            var (m, mm, _, _) = Boot(d);
            m.Trace.Enabled = true;
            MapAndFault(m, mm, Base, 4 * 4096UL);
            var pages = new int[4];
            var scenario = new Scenario()
                .On(0, cpu => AddressSpace.Munmap<ReferenceGather>(cpu, mm, Base, 4 * 4096UL))
                .On(1, cpu =>
                {
                    var pinned = ReferenceFastGup.GupFast(cpu, mm, Base, false, pages);
                    for (var i = 0; i < pinned; i++) m.Memory.Put(pages[i], cpu.Id);
                });
            return (m, scenario);
        }

        [Theory]
        [InlineData(GatherOptions.TableFree, true)]     // rule 2: broadcast flush waits for nobody
        [InlineData(GatherOptions.RcuTableFree, false)] // the grace period waits for interrupts-off walkers
        public void Fast_gup_with_broadcast_invalidation_needs_rcu_table_free(GatherOptions options, bool broken)
        {
            var results = Kernel.Explore.All(() => MunmapVersusFastGup(Arm64Like(options)), preemptions: 2);
            var bad = results.Where(r => r.Violations.Any(v => v.Kind == ViolationKind.ReadFreedTable)).ToList();
            if (broken) Assert.NotEmpty(bad);
            else Assert.All(results, r => Assert.True(r.Violations.Count == 0, Kernel.Explore.Describe(r)));
        }

        [Theory]
        [InlineData(GatherOptions.None)]      // tables freed through the page batch, after the flush
        [InlineData(GatherOptions.TableFree)] // table batch without RCU: freed right after the invalidate
        public void Ipi_invalidation_keeps_fast_gup_safe_without_rcu_table_free_in_every_interleaving(GatherOptions options)
        {
            // The safe half of rule 2: the flush IPI cannot complete while the walker has interrupts off, so the tables
            // (and pages) it may be reading are not freed until it is out. The broadcast twin above breaks.
            var results = Kernel.Explore.All(() => MunmapVersusFastGup(X86Like(options)), preemptions: 2);
            Assert.All(results, r => Assert.True(r.Violations.Count == 0, Kernel.Explore.Describe(r)));
            Assert.Contains(results, r => Kernel.Explore.WalkedWhileIpiPending(r, sender: 0, walker: 1));
        }

        [Theory]
        [InlineData(GatherOptions.RcuTableFree | GatherOptions.NoTableInvalidate, true)] // rule 3
        [InlineData(GatherOptions.RcuTableFree, false)]
        public void NoTableInvalidate_with_a_caching_hardware_walker_leaves_a_stale_walk_cache(GatherOptions options, bool broken)
        {
            var (m, mm, c0, c1) = Boot(Arm64Like(options));
            MapAndFault(m, mm, Base, 4096);
            m.Mmu.Access(c1, mm, Base); // the walk cache now points at the PTE table
            var tlb = ReferenceGather.Begin(c0, mm, fullmm: false);
            var vma = mm.Vmas[0];
            AddressSpace.UnmapPageRange(ref tlb, c0, mm, vma, vma.Start, vma.End);
            m.Memory.FailNext(FrameUse.TableBatch, 1); // tlb_remove_table_one: freed after a grace period, never invalidated
            AddressSpace.FreePgtables(ref tlb, c0, mm, vma.Start, vma.End, 0, m.Geometry.TaskSize);
            m.Rcu.Quiesce();
            m.Mmu.Access(c1, mm, Base);
            Assert.Equal(broken, Has(m, ViolationKind.StaleWalkCacheUse));
            tlb.Finish();
        }

        [Theory]
        [InlineData(false, true)] // rule 4: NO_GATHER where clearing a PTE does not invalidate
        [InlineData(true, false)] // s390 IPTE
        public void NoGather_needs_a_pte_clear_that_invalidates_every_cpu(bool syncClear, bool broken)
        {
            var d = S390Like(GatherOptions.RcuTableFree | GatherOptions.NoGather | GatherOptions.MergeVmas, syncClear);
            var (m, mm, c0, c1) = Boot(d);
            MapAndFault(m, mm, Base, 4096);
            m.Mmu.Access(c1, mm, Base);
            var tlb = ReferenceGather.Begin(c0, mm, fullmm: false);
            var vma = mm.Vmas[0];
            AddressSpace.UnmapPageRange(ref tlb, c0, mm, vma, vma.Start, vma.End); // the page is already freed
            m.Mmu.Access(c1, mm, Base); // before tlb_finish_mmu's flush
            Assert.Equal(broken, Has(m, ViolationKind.StaleTlbUse));
            tlb.Finish();
        }

        private sealed class Pins
        {
            public int A;
            public int B;
            public readonly System.Collections.Generic.HashSet<int> Seen = new();
        }

        /// <summary>cpu0 changes a PAE PTE from A (below 4 GiB) to none to B (above) the Linux way; cpu1 runs fast GUP on it.</summary>
        private static (Machine, Scenario) RewriteVersusFastGup(PteRead read, Pins pins)
        {
            var (m, mm, _, _) = Boot(Pae(read), frames: 256);
            m.Trace.Enabled = true;
            MapAndFault(m, mm, Base, 4096);
            var g = m.Geometry;
            var pmdTable = PageTables.Deref(m, PageTables.Read(m, mm.Pgd, 2, g.Index(2, Base)), 1);
            var ptes = PageTables.Deref(m, PageTables.Read(m, pmdTable, 1, g.Index(1, Base)), 0);
            var index = g.Index(0, Base);
            do pins.A = m.Memory.TryAllocate(FrameUse.Data); while (pins.A >= m.Memory.FirstHighFrame);
            do pins.B = m.Memory.TryAllocate(FrameUse.Data); while (pins.B != 0 && pins.B < m.Memory.FirstHighFrame);
            PageTables.Write(m, ptes, 0, index, PageTables.PageEntry(m, pins.A, Entry.Write));
            var b = PageTables.PageEntry(m, pins.B, Entry.Write);
            // The torn value (B's high half over A's low half) names a frame of high memory; make it a live page, so
            // that taking a reference on it succeeds as it would on a real machine full of memory.
            var alias = m.Memory.FrameAt((m.Memory.PhysicalAddress(pins.B) & 0xFFFF_FFFF_0000_0000UL) | (m.Memory.PhysicalAddress(pins.A) & 0xFFFF_FFFFUL));
            Assert.NotEqual(0, alias);
            while (m.Memory[alias].Use == FrameUse.Free) m.Memory.TryAllocate(FrameUse.Data);
            var scenario = new Scenario()
                .On(0, cpu =>
                {
                    PageTables.Clear(m, ptes, 0, index);    // ptep_get_and_clear: low half first
                    PageTables.Write(m, ptes, 0, index, b); // set_pte: high half, smp_wmb, low half
                })
                .On(1, cpu =>
                {
                    var pages = new int[1];
                    if (ReferenceFastGup.GupFast(cpu, mm, Base, false, pages) == 0) return;
                    lock (pins.Seen) pins.Seen.Add(pages[0]);
                    m.Memory.Put(pages[0], cpu.Id);
                });
            return (m, scenario);
        }

        [Theory]
        [InlineData(PteRead.SingleLoad, true)]     // rule 5: a 64-bit PTE read as two unrelated word loads
        [InlineData(PteRead.LowHighSplit, false)]  // gup_get_pte: low, high, low again
        public void A_pte_wider_than_the_word_read_with_one_load_can_be_torn(PteRead read, bool broken)
        {
            var pins = new Pins();
            var results = Kernel.Explore.All(() => RewriteVersusFastGup(read, pins), preemptions: 3);
            var torn = results.Where(r => r.Violations.Any(v => v.Kind == ViolationKind.TornPte)).ToList();
            if (broken)
            {
                Assert.NotEmpty(torn);
                return;
            }
            Assert.All(results, r => Assert.True(r.Violations.Count == 0, Kernel.Explore.Describe(r)));
            Assert.Subset(new System.Collections.Generic.HashSet<int> { pins.A, pins.B }, pins.Seen); // never a third frame
            Assert.Equal(2, pins.Seen.Count);
        }

        [Fact]
        public void Rcu_table_free_with_ipi_and_no_software_walker_is_legal_and_safe()
        {
            // Rule 6: pointless but harmless.
            var d = X86Like() with { FastGup = false };
            var (m, mm, c0, c1) = Boot(d);
            MapAndFault(m, mm, Base, 64UL << 10);
            TouchAll(m, mm, Base, Base + (64UL << 10));
            AddressSpace.Munmap<ReferenceGather>(c0, mm, Base, 64UL << 10);
            m.Rcu.Quiesce();
            TouchAll(m, mm, Base, Base + (64UL << 10));
            Assert.True(m.Violations.IsEmpty);
        }
    }
}
