using System;
using System.Linq;
using Shootdown.Kernel;
using Shootdown.Reference;
using Shootdown.Simulation;
using static Shootdown.Runtime.Tests.Reference.TestMachines;

namespace Shootdown.Runtime.Tests.Kernel
{
    /// <summary>madvise, shift_arg_pages, khugepaged and pte_free_defer as Linux does them.</summary>
    public sealed class AddressSpaceOperationTests
    {
        [Fact]
        public void Madvise_dontneed_under_the_read_lock_overlaps_munmap_and_the_nested_finish_flushes_everything()
        {
            // Two gathers on one mm (munmap and MADV_DONTNEED): the one that finishes while the other is in flight
            // sees mm_tlb_flush_nested and flushes the whole mm with freed_tables.
            var (m, mm, c0, c1) = Boot(Arm64Like());
            MapAndFault(m, mm, Base, 64UL << 10);
            var outer = ReferenceGather.Begin(c1, mm, fullmm: false); // another gather in flight on cpu1
            m.Trace.Enabled = true;
            Assert.Equal(0, Madvise.DontNeed<ReferenceGather>(c0, mm, Base, 64UL << 10));
            var last = m.Trace.Snapshot().Last(e => e.Kind == EventKind.BroadcastFlush);
            Assert.Equal((0UL, m.Geometry.TaskSize, 1UL), (last.A, last.B, last.C));
            outer.Finish();
            Assert.Equal(0, mm.TlbFlushPending);
            Assert.NotNull(mm.FindVma(Base)); // VMAs and tables stay; only pages went
            Assert.True(AddressSpace.Fault(c0, mm, Base));
        }

        [Fact]
        public void Madvise_reports_holes_with_enomem_and_refuses_pfnmap()
        {
            var (m, mm, c0, _) = Boot(X86Like());
            MapAndFault(m, mm, Base, 4 * 4096UL);
            MapAndFault(m, mm, Base + 0x10000, 4096, VmaFlags.Write | VmaFlags.PfnMap);
            var before = m.Memory.InUse;
            Assert.Equal(-Errno.ENOMEM, Madvise.DontNeed<ReferenceGather>(c0, mm, Base, 8 * 4096UL));
            Assert.Equal(before - 4, m.Memory.InUse);
            Assert.Equal(-Errno.EINVAL, Madvise.DontNeed<ReferenceGather>(c0, mm, Base + 0x10000, 4096));
            Assert.Throws<ArgumentException>(() => Madvise.DontNeed<ReferenceGather>(c0, mm, Base + 1, 4096));
        }

        [Fact]
        public void Shift_arg_pages_frees_tables_without_tlb_start_vma_and_still_flushes_before_freeing()
        {
            // relocate_vma_down: tlb_gather_mmu, free_pgd_range, tlb_finish_mmu - no tlb_start_vma / tlb_end_vma.
            var (m, mm, c0, c1) = Boot(Arm64Like());
            var pmd = m.Geometry.EntrySize(1);
            var top = 64 * pmd;
            var stack = MapAndFault(m, mm, top - 2 * 4096, 2 * 4096);
            var pages = Enumerable.Range(0, 2).Select(i => PageTables.Read(m, mm.Pgd, 3, 0)).ToArray();
            TouchAll(m, mm, stack.Start, stack.End);
            m.Trace.Enabled = true;
            Exec.ShiftArgPages<ReferenceGather>(c0, mm, stack, pmd);
            Assert.Equal((top - pmd - 2 * 4096, top - pmd), (stack.Start, stack.End));
            Assert.Equal(0, Count(m, EventKind.CacheFlush)); // tlb_start_vma never ran
            var flushWithTables = m.Trace.Snapshot().ToList().FindIndex(e => e.Kind == EventKind.BroadcastFlush && e.C == 1);
            Assert.True(flushWithTables >= 0, "the old PTE table must be invalidated as a freed table");
            Assert.True(Count(m, EventKind.RcuQueued) + Count(m, EventKind.TableFreed) > 0);
            m.Rcu.Quiesce();
            TouchAll(m, mm, stack.Start, stack.End);
            foreach (var cpu in m.Cpus) Assert.Equal(AccessResult.Fault, m.Mmu.Access(cpu, mm, top - 4096));
            Assert.True(m.Violations.IsEmpty, string.Join("\n", m.Violations.All));
            Assert.Throws<ArgumentException>(() => Exec.ShiftArgPages<ReferenceGather>(c0, mm, stack, 100));
        }

        [Fact]
        public void Both_fragments_deferred_share_one_rcu_free_of_their_page()
        {
            // s390 pte_free_defer: the page is marked, the one rcu_head is queued when its last fragment goes.
            var (m, mm, c0, c1) = Boot(S390Like());
            var first = m.Tables.Allocate(0);
            var second = m.Tables.Allocate(0);
            Assert.Equal(first.Pfn, second.Pfn);
            m.Trace.Enabled = true;
            PteFreeDefer.Defer(c0, first);
            Assert.Equal(0, Count(m, EventKind.RcuQueued)); // the other half is in use: nothing queued yet
            Assert.Equal((1, 1), m.Tables.FragmentState(first.Pfn)); // second is a table, first waits
            Assert.True(m.Tables.IsPending(first.Pfn, first.Fragment));
            var fresh = m.Tables.Allocate(0);
            Assert.NotEqual(first.Pfn, fresh.Pfn); // the deferred half is not handed out again
            m.Tables.Free(fresh);
            PteFreeDefer.Defer(c0, second);
            Assert.Equal(1, Count(m, EventKind.RcuQueued));
            Assert.Equal(1, PteFreeDefer.QueuedPages(m));
            c1.DisableIrqs();
            m.Rcu.Quiesce();
            Assert.Equal(FrameUse.PageTable, m.Memory[first.Pfn].Use);
            c1.EnableIrqs();
            m.Rcu.Quiesce();
            Assert.Equal(FrameUse.Free, m.Memory[first.Pfn].Use);
            Assert.Equal(0, PteFreeDefer.QueuedPages(m));
            Assert.True(m.Violations.IsEmpty);
        }

        [Fact]
        public void A_deferred_fragment_whose_sibling_is_freed_by_a_gather_gets_its_page_freed_after_a_grace_period()
        {
            var (m, mm, c0, _) = Boot(S390Like());
            var deferred = m.Tables.Allocate(0);
            var other = m.Tables.Allocate(0);
            PteFreeDefer.Defer(c0, deferred);
            m.Trace.Enabled = true;
            var tlb = ReferenceGather.Begin(c0, mm, fullmm: false);
            tlb.FreeTable(0, other, Base);
            tlb.Finish();
            Assert.Equal(1, Count(m, EventKind.RcuQueued)); // the table batch only: the deferred half still waits
            Assert.Equal(FrameUse.PageTable, m.Memory[deferred.Pfn].Use);
            Assert.True(m.Rcu.Quiesce());
            // The batch's grace period ends; its free of the last half queues the page's one rcu_head, whose own grace
            // period then frees the page.
            var trace = m.Trace.Snapshot().ToList();
            Assert.Equal(2, Count(m, EventKind.RcuQueued));
            var second = trace.FindLastIndex(e => e.Kind == EventKind.RcuCallback);
            var pageFreed = trace.FindIndex(e => e.Kind == EventKind.TableFreed && e.A == (ulong)deferred.Pfn);
            var pageQueued = trace.FindLastIndex(e => e.Kind == EventKind.RcuQueued);
            Assert.True(pageQueued < second && second < pageFreed, m.Trace.ToString());
            Assert.Equal(FrameUse.Free, m.Memory[deferred.Pfn].Use);
            Assert.True(m.Violations.IsEmpty, string.Join("\n", m.Violations.All));
        }
    }
}
