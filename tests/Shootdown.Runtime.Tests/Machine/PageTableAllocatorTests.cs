using System;
using System.Linq;
using Shootdown.Simulation;

namespace Shootdown.Runtime.Tests.MachineTests
{
    public class PageTableAllocatorTests
    {
        private static Machine Make() => new(Machines.S390, cpus: 2, frames: 256);

        [Fact]
        public void Fragments_share_a_page_which_returns_only_when_all_are_free_and_none_pending()
        {
            var m = Make();
            var free = m.Memory.FreeCount;
            var a = m.Tables.Allocate(0);
            var b = m.Tables.Allocate(0);
            Assert.Equal(a.Pfn, b.Pfn);
            Assert.NotEqual(a.Fragment, b.Fragment);
            Assert.Equal(free - 1, m.Memory.FreeCount);
            m.Tables.MarkPendingFree(a);
            Assert.Equal((1, 1), m.Tables.FragmentState(a.Pfn)); // b is a table, a waits for its grace period
            Assert.True(m.Tables.IsPending(a.Pfn, a.Fragment));
            Assert.False(m.Tables.IsPending(b.Pfn, b.Fragment));
            var c = m.Tables.Allocate(0); // the pending fragment is not handed out again
            Assert.NotEqual(a.Pfn, c.Pfn);
            m.Tables.Free(b);
            Assert.True(PageTables.IsLive(m, a), "a deferred fragment stays readable until its grace period ends");
            Assert.Equal(FrameUse.PageTable, m.Memory[a.Pfn].Use);
            m.Tables.Free(a);
            Assert.Equal(FrameUse.Free, m.Memory[a.Pfn].Use);
            Assert.True(m.Violations.IsEmpty);
        }

        [Fact]
        public void A_stale_fragment_pointer_is_not_live_after_the_fragment_is_reused()
        {
            var m = Make();
            var a = m.Tables.Allocate(0);
            var keep = m.Tables.Allocate(0);
            m.Tables.Free(a);
            var again = m.Tables.Allocate(0);
            Assert.Equal((a.Pfn, a.Fragment), (again.Pfn, again.Fragment));
            Assert.False(PageTables.IsLive(m, a));
            Assert.True(PageTables.IsLive(m, again));
            PageTables.Read(m, a, 0, 0);
            Assert.Equal(ViolationKind.ReadFreedTable, Assert.Single(m.Violations.All).Kind);
            m.Tables.Free(a); // through the stale pointer: must not free the new table
            Assert.Equal(ViolationKind.DoubleFree, m.Violations.All[^1].Kind);
            Assert.True(PageTables.IsLive(m, again));
            Assert.True(PageTables.IsLive(m, keep));
        }

        [Fact]
        public void Freeing_a_fragment_page_as_a_whole_page_while_a_fragment_lives_is_caught()
        {
            // Rule 1: fragments without TABLE_FREE end in tlb_remove_page -> put_page on the whole page.
            var m = Make();
            var a = m.Tables.Allocate(0);
            m.Tables.Allocate(0);
            m.Memory.Put(a.Pfn);
            Assert.Equal(ViolationKind.FreeWhileReferenced, Assert.Single(m.Violations.All).Kind);
            Assert.Equal(FrameUse.PageTable, m.Memory[a.Pfn].Use);
        }

        [Fact]
        public void Bad_requests_throw_and_change_nothing()
        {
            var m = Make();
            var free = m.Memory.FreeCount;
            Assert.Throws<ArgumentOutOfRangeException>(() => m.Tables.Allocate(4));
            Assert.Throws<ArgumentException>(() => m.Tables.Free(TableRef.None));
            var a = m.Tables.Allocate(0);
            m.Tables.MarkPendingFree(a);
            Assert.Throws<InvalidOperationException>(() => m.Tables.MarkPendingFree(a));
            m.Tables.Free(a);
            Assert.Equal(free, m.Memory.FreeCount);
            Assert.True(m.Violations.IsEmpty, string.Join("; ", m.Violations.All.Select(v => v.ToString())));
        }
    }
}
