using System.Linq;
using Shootdown.Kernel;
using Shootdown.Reference;
using Shootdown.Simulation;
using static Shootdown.Runtime.Tests.Reference.TestMachines;

namespace Shootdown.Runtime.Tests.Reference
{
    /// <summary>One Linux rule of mm/mmu_gather.c and include/asm-generic/tlb.h per test, run on the reference gather.</summary>
    public sealed class GatherRuleTests
    {
        private static TableRef NewPteTable(Machine m) => m.Tables.Allocate(0);

        [Fact]
        public void Full_table_batch_is_invalidated_before_it_is_freed()
        {
            // tlb_remove_table: nr == MAX_TABLE_BATCH -> tlb_table_flush -> tlb_table_invalidate first.
            var d = X86Like(GatherOptions.TableFree);
            var (m, mm, c0, _) = Boot(d, frames: 2048);
            var max = GatherGeometry.MaxTableBatch(d);
            Assert.Equal(511, max); // no rcu_head in the batch page without RCU table freeing
            var tlb = ReferenceGather.Begin(c0, mm, fullmm: false);
            m.Trace.Enabled = true;
            for (var i = 0; i < max; i++) tlb.FreeTable(0, NewPteTable(m), Base + (ulong)i * m.Geometry.EntrySize(1));
            Assert.Equal(0, tlb.QueuedTables);
            var flush = IndexOf(m, EventKind.IpiFlush) >= 0 ? IndexOf(m, EventKind.LocalFlush) : -1;
            var firstFree = IndexOf(m, EventKind.TableFreed);
            Assert.True(flush >= 0 && firstFree > flush, m.Trace.ToString());
            Assert.False(tlb.FreedTables); // tlb_flush_mmu_tlbonly reset the range
            tlb.Finish();
        }

        [Fact]
        public void Rcu_table_batch_holds_509_tables_and_frees_only_after_a_grace_period()
        {
            var d = Arm64Like();
            var (m, mm, c0, c1) = Boot(d, frames: 2048);
            Assert.Equal(509, GatherGeometry.MaxTableBatch(d));
            var tlb = ReferenceGather.Begin(c0, mm, fullmm: false);
            m.Trace.Enabled = true;
            for (var i = 0; i < 509; i++) tlb.FreeTable(0, NewPteTable(m), Base);
            Assert.Equal(0, Count(m, EventKind.TableFreed));
            Assert.Equal(1, Count(m, EventKind.RcuQueued));
            c1.DisableIrqs(); // a walker is inside: the grace period cannot end
            m.Rcu.Quiesce();
            Assert.Equal(0, Count(m, EventKind.TableFreed));
            c1.EnableIrqs();
            Assert.True(m.Rcu.Quiesce());
            Assert.Equal(509, Count(m, EventKind.TableFreed));
            tlb.Finish();
        }

        [Fact]
        public void Nested_gather_forces_a_full_flush_and_keeps_freed_tables()
        {
            // tlb_finish_mmu: mm_tlb_flush_nested -> fullmm = 1, __tlb_reset_range, freed_tables = 1 (7a30df49f63a).
            var (m, mm, c0, c1) = Boot(Arm64Like());
            var outer = ReferenceGather.Begin(c1, mm, fullmm: false);
            var inner = ReferenceGather.Begin(c0, mm, fullmm: false);
            Assert.True(mm.FlushNested);
            m.Trace.Enabled = true;
            inner.Finish(); // nothing cleared by this gather, yet it must flush everything
            var flush = m.Trace.Snapshot().Single(e => e.Kind == EventKind.BroadcastFlush);
            Assert.Equal(0UL, flush.A);
            Assert.Equal(m.Geometry.TaskSize, flush.B);
            Assert.Equal(1UL, flush.C); // freed_tables kept: walk caches go too
            Assert.Equal(m.Cpus.Length, Count(m, EventKind.WalkCacheFlush));
            Assert.False(mm.FlushNested);
            m.Trace.Clear();
            outer.Finish(); // alone now: nothing cleared, nothing flushed
            Assert.Equal(0, Count(m, EventKind.BroadcastFlush));
        }

        [Fact]
        public void Fullmm_gather_flushes_the_mm_once_at_the_end()
        {
            // exit_mmap: tlb_gather_mmu_fullmm; tlb_start_vma/tlb_end_vma do nothing, one flush_tlb_mm at tlb_finish_mmu.
            var (m, mm, c0, _) = Boot(X86Like(), frames: 4096);
            MapAndFault(m, mm, Base, 256UL << 10);
            MapAndFault(m, mm, Base + (1UL << 20), 256UL << 10, VmaFlags.Write | VmaFlags.Exec);
            TouchAll(m, mm, Base, Base + (2UL << 20));
            m.Trace.Enabled = true;
            AddressSpace.ExitMmap<ReferenceGather>(c0, mm);
            Assert.Equal(1, Count(m, EventKind.LocalFlush));
            Assert.Equal(0, Count(m, EventKind.CacheFlush));
            var flush = m.Trace.Snapshot().Single(e => e.Kind == EventKind.LocalFlush);
            Assert.Equal(m.Geometry.TaskSize, flush.B);
        }

        [Fact]
        public void Tlb_end_vma_flushes_each_vma_unless_MergeVmas()
        {
            foreach (var (options, flushes) in new[] { (GatherOptions.RcuTableFree, 2), (GatherOptions.RcuTableFree | GatherOptions.MergeVmas, 1) })
            {
                var (m, mm, c0, _) = Boot(X86Like(options));
                MapAndFault(m, mm, Base, 64UL << 10);
                MapAndFault(m, mm, Base + (64UL << 10), 64UL << 10);
                m.Trace.Enabled = true;
                var tlb = ReferenceGather.Begin(c0, mm, fullmm: false);
                foreach (var vma in mm.Vmas.ToArray()) AddressSpace.UnmapPageRange(ref tlb, c0, mm, vma, vma.Start, vma.End);
                tlb.Finish();
                Assert.Equal(flushes, Count(m, EventKind.LocalFlush));
            }
        }

        [Fact]
        public void MergeVmas_flushes_a_pending_PfnMap_range_in_tlb_free_vmas_not_at_tlb_end_vma()
        {
            // tlb_end_vma returns at once with MMU_GATHER_MERGE_VMAS; tlb_free_vmas, at the start of free_pgtables,
            // flushes if a VM_PFNMAP range still has its invalidate pending. The flush leaves vma_pfn set.
            var (m, mm, c0, _) = Boot(X86Like(GatherOptions.RcuTableFree | GatherOptions.MergeVmas));
            MapAndFault(m, mm, Base, 64UL << 10, VmaFlags.Write | VmaFlags.PfnMap);
            m.Trace.Enabled = true;
            var tlb = ReferenceGather.Begin(c0, mm, fullmm: false);
            var vma = mm.Vmas[0];
            AddressSpace.UnmapPageRange(ref tlb, c0, mm, vma, vma.Start, vma.End);
            Assert.True(tlb.VmaFlags.Pfn);
            Assert.Equal(0, Count(m, EventKind.LocalFlush));
            tlb.FreeVmas();
            Assert.Equal(1, Count(m, EventKind.LocalFlush));
            Assert.True(tlb.VmaFlags.Pfn);
            tlb.FreeVmas(); // nothing pending: tlb_flush_mmu_tlbonly returns before tlb_flush
            Assert.Equal(1, Count(m, EventKind.LocalFlush));
            tlb.Finish();
        }

        [Fact]
        public void Vma_pfn_survives_an_intermediate_flush_so_tlb_free_vmas_flushes_what_a_MixedMap_vma_cleared_after_it()
        {
            // No batch page can be had, so the on-stack bundle fills inside the VM_MIXEDMAP VMA: zap_pte_range flushes
            // (tlb_flush_mmu, __tlb_reset_range) and goes on without another tlb_start_vma. The PTEs cleared after that
            // are still pending at tlb_free_vmas; vma_pfn is sticky, so they are flushed before free_pgtables unlinks
            // the VMA. Had the intermediate flush cleared vma_pfn, tlb_free_vmas would have let them wait for Finish.
            var (m, mm, c0, _) = Boot(X86Like(GatherOptions.RcuTableFree | GatherOptions.MergeVmas));
            var perFlush = GatherGeometry.Bundle - 1; // the bundle is full at max - 1 (room for a page and its nr_pages)
            var pages = 2 * perFlush + 3; // the last 3 are cleared after the second intermediate flush
            var vma = MapAndFault(m, mm, Base, (ulong)pages * 4096, VmaFlags.Write | VmaFlags.MixedMap);
            m.Memory.FailNext(FrameUse.GatherBatch, 100);
            m.Trace.Enabled = true;
            var tlb = ReferenceGather.Begin(c0, mm, fullmm: false);
            AddressSpace.UnmapPageRange(ref tlb, c0, mm, vma, vma.Start, vma.End);
            Assert.Equal(2, Count(m, EventKind.LocalFlush));
            Assert.True(tlb.VmaFlags.Pfn); // set by VM_MIXEDMAP alone (tlb_update_vma_flags), kept by both flushes
            Assert.Equal((Base + 2UL * (ulong)perFlush * 4096, Base + (ulong)pages * 4096), tlb.Range);
            tlb.FreeVmas();
            Assert.Equal(3, Count(m, EventKind.LocalFlush));
            Assert.Equal(0UL, tlb.Range.End);
            m.Memory.FailNext(FrameUse.GatherBatch, 0);
            tlb.Finish();
            Assert.True(m.Violations.IsEmpty, string.Join("\n", m.Violations.All));
        }

        [Fact]
        public void Flush_only_when_something_was_cleared_or_freed()
        {
            var (m, mm, c0, _) = Boot(X86Like());
            m.Trace.Enabled = true;
            var tlb = ReferenceGather.Begin(c0, mm, fullmm: false);
            tlb.FlushMmu();
            tlb.Finish();
            Assert.Equal(0, Count(m, EventKind.LocalFlush));
        }

        [Fact]
        public void Range_covers_what_was_cleared_and_a_freed_pte_table_sets_cleared_pmds()
        {
            var (m, mm, c0, _) = Boot(X86Like());
            var tlb = ReferenceGather.Begin(c0, mm, fullmm: false);
            Assert.Equal((m.Geometry.TaskSize, 0UL), tlb.Range); // __tlb_reset_range: [TASK_SIZE, 0)
            tlb.RemoveTlbEntry(0, Base + 0x3000);
            tlb.RemoveTlbEntry(0, Base + 0x1000);
            Assert.Equal((Base + 0x1000, Base + 0x4000), tlb.Range);
            tlb.FreeTable(0, NewPteTable(m), Base + 0x200000);
            Assert.Equal((true, true, false, false), tlb.Cleared);
            Assert.True(tlb.FreedTables);
            Assert.Equal(Base + 0x201000, tlb.Range.End); // pte_free_tlb adjusts by PAGE_SIZE
            tlb.FreeTable(3 - 1, m.Tables.Allocate(2), Base);
            Assert.True(tlb.Cleared.P4ds); // pud_free_tlb -> tlb_flush_p4d_range
            Assert.Throws<System.ArgumentOutOfRangeException>(() => tlb.RemoveTlbEntry(3, Base));
            Assert.Throws<System.ArgumentOutOfRangeException>(() => tlb.FreeTable(3, m.Tables.Allocate(3), Base));
            tlb.Finish();
        }

        [Fact]
        public void MaxGatherBatchCount_caps_the_batch_pages_then_forces_a_flush()
        {
            // tlb_next_batch: batch_count == MAX_GATHER_BATCH_COUNT -> __tlb_remove_page_size returns true.
            var d = X86Like();
            var (m, mm, c0, _) = Boot(d, frames: 64);
            Assert.Equal(510, GatherGeometry.MaxGatherBatch(d));
            Assert.Equal(19, GatherGeometry.MaxGatherBatchCount(d));
            var tlb = ReferenceGather.Begin(c0, mm, fullmm: false);
            var pfn = m.Memory.TryAllocate(FrameUse.Data);
            // The bundle holds 8 (full at 7: room for one more "page + nr_pages" pair), each batch 510 (full at 509).
            var capacity = (GatherGeometry.Bundle - 1) + 19 * (510 - 1);
            var full = 0;
            for (var i = 0; i < capacity; i++)
            {
                m.Memory.Get(pfn);
                if (tlb.RemovePage(pfn, 4096)) { full = i + 1; break; }
            }
            Assert.Equal(capacity, full);
            Assert.Equal(19, tlb.BatchCount);
            tlb.RemoveTlbEntry(0, Base);
            tlb.FlushMmu();
            Assert.Equal(0, tlb.QueuedPages);
            Assert.Equal(19, tlb.BatchCount); // batch pages stay until tlb_finish_mmu
            tlb.Finish();
            Assert.Equal(0, tlb.BatchCount);
        }

        [Fact]
        public void NoGather_frees_a_page_at_once()
        {
            var (m, mm, c0, _) = Boot(S390Like());
            var tlb = ReferenceGather.Begin(c0, mm, fullmm: false);
            var pfn = m.Memory.TryAllocate(FrameUse.Data);
            m.Trace.Enabled = true;
            Assert.False(tlb.RemovePage(pfn, 4096));
            Assert.Equal(FrameUse.Free, m.Memory[pfn].Use);
            Assert.Equal(0, Count(m, EventKind.PageBatched));
            tlb.Finish();
        }

        [Fact]
        public void PageSize_change_flushes_before_mixing_sizes_but_not_for_fullmm()
        {
            foreach (var fullmm in new[] { false, true })
            {
                var (m, mm, c0, _) = Boot(X86Like(GatherOptions.RcuTableFree | GatherOptions.PageSize));
                var tlb = ReferenceGather.Begin(c0, mm, fullmm);
                tlb.ChangePageSize(4096);
                tlb.RemoveTlbEntry(0, Base);
                m.Trace.Enabled = true;
                tlb.ChangePageSize(2UL << 20);
                Assert.Equal(fullmm ? 0 : 1, Count(m, EventKind.LocalFlush));
                Assert.Equal(2UL << 20, tlb.PageSize);
                tlb.Finish();
            }
        }

        [Fact]
        public void NoRange_flushes_the_whole_mm()
        {
            var (m, mm, c0, _) = Boot(X86Like(GatherOptions.RcuTableFree | GatherOptions.NoRange));
            var tlb = ReferenceGather.Begin(c0, mm, fullmm: false);
            tlb.RemoveTlbEntry(0, Base);
            m.Trace.Enabled = true;
            tlb.FlushMmuTlbOnly();
            var flush = m.Trace.Snapshot().Single(e => e.Kind == EventKind.LocalFlush);
            Assert.Equal((0UL, m.Geometry.TaskSize), (flush.A, flush.B));
            tlb.Finish();
        }

        [Fact]
        public void Table_batch_allocation_failure_takes_tlb_remove_table_one_invalidate_then_ipi_sync_then_free_when_rcu()
        {
            // tlb_remove_table_one (v6.x): tlb_table_invalidate, tlb_remove_table_sync_one (smp_call_function, wait),
            // then __tlb_remove_table at once (0ed1325967 added the invalidate before it).
            var (m, mm, c0, _) = Boot(Arm64Like() with { Linux = LinuxEra.V6_1 });
            var tlb = ReferenceGather.Begin(c0, mm, fullmm: false);
            var table = NewPteTable(m);
            m.Memory.FailNext(FrameUse.TableBatch, 1);
            m.Trace.Enabled = true;
            tlb.FreeTable(0, table, Base);
            var flush = IndexOf(m, EventKind.BroadcastFlush);
            var ipi = IndexOf(m, EventKind.IpiSent);
            var freed = IndexOf(m, EventKind.TableFreed);
            Assert.True(flush >= 0 && ipi > flush && freed > ipi, m.Trace.ToString());
            Assert.Equal(0, Count(m, EventKind.RcuQueued));
            Assert.False(PageTables.IsLive(m, table));
            tlb.Finish();
        }

        [Fact]
        public void Table_batch_allocation_failure_on_a_stable_kernel_frees_by_call_rcu_after_the_invalidate()
        {
            // tlb_remove_table_one with CONFIG_PT_RECLAIM (v6.14 on): tlb_table_invalidate, then
            // call_rcu(&ptdesc->pt_rcu_head, __tlb_remove_table_one_rcu); no IPI sync, and nothing freed before a grace period.
            var (m, mm, c0, _) = Boot(Arm64Like() with { Linux = LinuxEra.Stable });
            var tlb = ReferenceGather.Begin(c0, mm, fullmm: false);
            var table = NewPteTable(m);
            m.Memory.FailNext(FrameUse.TableBatch, 1);
            m.Trace.Enabled = true;
            tlb.FreeTable(0, table, Base);
            var flush = IndexOf(m, EventKind.BroadcastFlush);
            var queued = IndexOf(m, EventKind.RcuQueued);
            Assert.True(flush >= 0 && queued > flush, m.Trace.ToString());
            Assert.Equal(0, Count(m, EventKind.IpiSent));
            Assert.Equal(0, Count(m, EventKind.TableFreed));
            Assert.True(PageTables.IsLive(m, table));
            m.Rcu.Quiesce();
            Assert.Equal(1, Count(m, EventKind.TableFreed));
            Assert.False(PageTables.IsLive(m, table));
            tlb.Finish();
        }

        [Fact]
        public void Table_batch_allocation_failure_without_rcu_needs_no_sync_the_invalidate_ipi_waited()
        {
            var (m, mm, c0, _) = Boot(X86Like(GatherOptions.TableFree));
            var tlb = ReferenceGather.Begin(c0, mm, fullmm: false);
            m.Memory.FailNext(FrameUse.TableBatch, 1);
            m.Trace.Enabled = true;
            tlb.FreeTable(0, NewPteTable(m), Base);
            Assert.Equal(1, Count(m, EventKind.IpiFlush)); // the invalidate's own IPI, and no second one to sync
            Assert.Equal(1, Count(m, EventKind.IpiSent));
            Assert.Equal(0, Count(m, EventKind.RcuQueued));
            var flush = IndexOf(m, EventKind.IpiFlush);
            Assert.True(flush >= 0 && flush < IndexOf(m, EventKind.TableFreed));
            tlb.Finish();
        }

        [Fact]
        public void NoTableInvalidate_frees_tables_without_a_flush()
        {
            var d = new ArchDescriptor("hash-like", Invalidation.HardwareBroadcast, false, 4, 4096, 1, 64, 64, true, WalkerKind.None, false,
                GatherOptions.RcuTableFree | GatherOptions.NoTableInvalidate, true, PteRead.SingleLoad) { Linux = LinuxEra.V6_1 };
            var (m, mm, c0, _) = Boot(d);
            var tlb = ReferenceGather.Begin(c0, mm, fullmm: false);
            m.Memory.FailNext(FrameUse.TableBatch, 1);
            m.Trace.Enabled = true;
            tlb.FreeTable(0, NewPteTable(m), Base);
            Assert.Equal(1, Count(m, EventKind.TableFreed)); // tlb_remove_table_one: IPI sync, then free at once
            Assert.Equal(0, Count(m, EventKind.BroadcastFlush));
            tlb.Finish(); // freed_tables was left set: the last flush still invalidates the TLB
            Assert.Equal(1, Count(m, EventKind.BroadcastFlush));
        }

        [Fact]
        public void Structural_descriptor_errors_are_refused()
        {
            var noGather = X86Like(GatherOptions.NoGather);
            var (_, mm, c0, _) = Boot(noGather);
            Assert.Throws<System.NotSupportedException>(() => ReferenceGather.Begin(c0, mm, false));
            var noInvalidate = X86Like(GatherOptions.TableFree | GatherOptions.NoTableInvalidate);
            var (_, mm2, c2, _) = Boot(noInvalidate);
            Assert.Throws<System.NotSupportedException>(() => ReferenceGather.Begin(c2, mm2, false));
        }

        [Fact]
        public void Without_TableFree_a_page_table_goes_through_the_page_batch()
        {
            var (m, mm, c0, _) = Boot(X86Like(GatherOptions.None));
            var tlb = ReferenceGather.Begin(c0, mm, fullmm: false);
            var table = NewPteTable(m);
            m.Trace.Enabled = true;
            tlb.FreeTable(0, table, Base);
            Assert.Equal(1, Count(m, EventKind.PageBatched));
            Assert.Equal(0, Count(m, EventKind.TableBatched));
            tlb.Finish();
            Assert.Equal(FrameUse.Free, m.Memory[table.Pfn].Use);
        }
    }
}
