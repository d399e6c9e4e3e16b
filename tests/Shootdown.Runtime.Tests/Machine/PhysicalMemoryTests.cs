using System;
using System.Linq;
using Shootdown.Simulation;

namespace Shootdown.Runtime.Tests.MachineTests
{
    public class PhysicalMemoryTests
    {
        private static Machine Make(ArchDescriptor? d = null) => new(d ?? Machines.IpiX86, cpus: 2, frames: 2048);

        [Fact]
        public void Freed_frame_is_the_next_handed_out_with_a_new_incarnation_and_poisoned_words()
        {
            var m = Make();
            var table = m.Tables.Allocate(0);
            PageTables.Write(m, table, 0, 3, PageTables.PageEntry(m, 7, Entry.Write));
            var incarnation = m.Memory[table.Pfn].Incarnation;
            m.Tables.Free(table);
            Assert.Equal(incarnation + 1, m.Memory[table.Pfn].Incarnation);
            Assert.All(m.Memory.TableWords(table.Pfn), w => Assert.Equal(PhysicalMemory.PoisonWord, w));
            Assert.Equal(table.Pfn, m.Memory.TryAllocate(FrameUse.Data));
            Assert.True(m.Violations.IsEmpty);
        }

        [Fact]
        public void A_batched_put_frees_last_references_in_order_and_reports_a_put_on_a_free_frame()
        {
            var m = Make();
            var shared = m.Memory.TryAllocate(FrameUse.Data);
            m.Memory.Get(shared);
            var first = m.Memory.TryAllocate(FrameUse.Data);
            var second = m.Memory.TryAllocate(FrameUse.Data);
            m.Trace.Enabled = true;
            m.Memory.PutPages(new[] { second, shared, first });
            var freed = m.Trace.Snapshot().Where(e => e.Kind == EventKind.PageFreed).Select(e => (int)e.A).ToArray();
            Assert.Equal(new[] { second, first }, freed);
            Assert.Equal(1, m.Memory[shared].RefCount);
            Assert.True(m.Violations.IsEmpty);
            m.Memory.PutPages(new[] { shared, first });
            Assert.Equal(FrameUse.Free, m.Memory[shared].Use);
            Assert.Equal(ViolationKind.DoubleFree, Assert.Single(m.Violations.All).Kind);
            Assert.Throws<ArgumentOutOfRangeException>(() => m.Memory.PutPages(new[] { 0 }));
        }

        [Fact]
        public void Speculative_references_racing_the_last_put_never_revive_a_freed_page()
        {
            // try_get_folio (inc-not-zero) on real threads against put_page_testzero: each round the page is freed exactly
            // once, and no speculative reference survives on the free frame (its put would be a double free).
            var m = Make();
            for (var round = 0; round < 200; round++)
            {
                var pfn = m.Memory.TryAllocate(FrameUse.Data);
                using var go = new System.Threading.Barrier(3);
                var walkers = Enumerable.Range(0, 2).Select(_ => new System.Threading.Thread(() =>
                {
                    go.SignalAndWait();
                    for (var i = 0; i < 5000; i++)
                    {
                        if (m.Memory.TryGet(pfn)) m.Memory.Put(pfn);
                    }
                })).ToArray();
                foreach (var walker in walkers) walker.Start();
                go.SignalAndWait();
                for (var i = 0; i < 1000; i++)
                {
                    if (m.Memory.TryGet(pfn)) m.Memory.Put(pfn);
                }
                m.Memory.Put(pfn);
                foreach (var walker in walkers) walker.Join();
                Assert.Equal(FrameUse.Free, m.Memory[pfn].Use);
                Assert.Equal(0, m.Memory[pfn].RefCount);
                Assert.True(m.Violations.IsEmpty, string.Join("; ", m.Violations.All));
            }
        }

        [Fact]
        public void Batched_puts_that_leave_references_lose_no_speculative_reference_taken_meanwhile()
        {
            // The common put (the count stays above zero) is one decrement; speculative references taken at the same
            // moment on other threads must all still be counted when it is done.
            var m = Make();
            var pfns = Enumerable.Range(0, 32).Select(_ => m.Memory.TryAllocate(FrameUse.Data)).ToArray();
            const int Puts = 2000;
            foreach (var pfn in pfns)
            {
                for (var i = 0; i < Puts; i++) m.Memory.Get(pfn);
            }
            var taken = new int[pfns.Length];
            using var go = new System.Threading.Barrier(3);
            var walkers = Enumerable.Range(0, 2).Select(_ => new System.Threading.Thread(() =>
            {
                go.SignalAndWait();
                for (var i = 0; i < Puts * 4; i++)
                {
                    var at = i % pfns.Length;
                    if (m.Memory.TryGet(pfns[at])) System.Threading.Interlocked.Increment(ref taken[at]);
                }
            })).ToArray();
            foreach (var walker in walkers) walker.Start();
            go.SignalAndWait();
            for (var i = 0; i < Puts; i++) m.Memory.PutPages(pfns);
            foreach (var walker in walkers) walker.Join();
            for (var at = 0; at < pfns.Length; at++) Assert.Equal(1 + taken[at], m.Memory[pfns[at]].RefCount);
            Assert.True(m.Violations.IsEmpty, string.Join("; ", m.Violations.All));
        }

        [Fact]
        public void Mappings_added_and_dropped_on_several_threads_at_once_are_all_counted()
        {
            // rmap changes are atomics on the mapcount, without the allocator lock, as in Linux: none may be lost.
            var m = Make();
            var pfn = m.Memory.TryAllocate(FrameUse.Data);
            const int PerThread = 300_000;
            m.Memory.AddMap(pfn);
            using var go = new System.Threading.Barrier(2);
            var threads = new[]
            {
                new System.Threading.Thread(() => { go.SignalAndWait(); for (var i = 0; i < PerThread; i++) m.Memory.AddMap(pfn); }),
                new System.Threading.Thread(() => { go.SignalAndWait(); for (var i = 0; i < PerThread; i++) { m.Memory.AddMap(pfn); m.Memory.RemoveMap(pfn); } }),
            };
            foreach (var t in threads) t.Start();
            foreach (var t in threads) t.Join();
            Assert.Equal(1 + PerThread, m.Memory[pfn].MapCount);
            for (var i = 0; i <= PerThread; i++) m.Memory.RemoveMap(pfn);
            Assert.True(m.Violations.IsEmpty, string.Join("; ", m.Violations.All));
            m.Memory.RemoveMap(pfn);
            Assert.Equal(0, m.Memory[pfn].MapCount);
            Assert.Equal(ViolationKind.FreeWhileReferenced, Assert.Single(m.Violations.All).Kind);
        }

        [Fact]
        public void Double_free_and_free_while_referenced_are_violations_that_leave_the_frame_alone()
        {
            var m = Make();
            var pfn = m.Memory.TryAllocate(FrameUse.Data);
            m.Memory.Get(pfn);
            m.Memory.Free(pfn);
            Assert.Equal(FrameUse.Data, m.Memory[pfn].Use);
            m.Memory.Put(pfn);
            m.Memory.Put(pfn);
            Assert.Equal(FrameUse.Free, m.Memory[pfn].Use);
            m.Memory.Free(pfn);
            m.Memory.Get(pfn);
            Assert.Equal(new[] { ViolationKind.FreeWhileReferenced, ViolationKind.DoubleFree, ViolationKind.UseAfterFree },
                m.Violations.All.Select(v => v.Kind));
            Assert.Null(m.Memory.CheckFreeList());
        }

        [Fact]
        public void Compound_pages_are_contiguous_aligned_and_freed_whole()
        {
            var m = Make();
            var free = m.Memory.FreeCount;
            var head = m.Memory.TryAllocateCompound(FrameUse.Data, 4);
            Assert.NotEqual(0, head);
            Assert.Equal(0UL, m.Memory.PhysicalAddress(head) % (16 * 4096UL));
            Assert.Equal(4, m.Memory[head].Order);
            for (var i = 1; i < 16; i++) Assert.Equal(head, m.Memory[head + i].Head);
            Assert.Equal(free - 16, m.Memory.FreeCount);
            m.Memory.Free(head + 3);
            Assert.Equal(ViolationKind.InvalidFree, Assert.Single(m.Violations.All).Kind);
            m.Memory.Get(head + 5); // a tail reference counts on the head (folio)
            Assert.Equal(2, m.Memory[head].RefCount);
            m.Memory.Put(head + 5);
            m.Memory.Put(head);
            Assert.Equal(free, m.Memory.FreeCount);
            Assert.Null(m.Memory.CheckFreeList());
        }

        [Fact]
        public void Half_of_memory_sits_above_4_GiB_on_64_bit_PTE_machines_and_allocations_alternate()
        {
            var m = Make();
            Assert.True(m.Memory.HasHighMemory);
            var a = m.Memory.TryAllocate(FrameUse.Data);
            var b = m.Memory.TryAllocate(FrameUse.Data);
            Assert.True(m.Memory.PhysicalAddress(a) < PhysicalMemory.HighBase);
            Assert.True(m.Memory.PhysicalAddress(b) >= PhysicalMemory.HighBase);
            foreach (var pfn in new[] { a, b, 1, m.Memory.FrameCount - 1 })
                Assert.Equal(pfn, m.Memory.FrameAt(m.Memory.PhysicalAddress(pfn)));
            Assert.Equal(0, m.Memory.FrameAt(PhysicalMemory.HighBase + (1UL << 40)));
            var legacy = Make(Machines.Legacy32);
            Assert.False(legacy.Memory.HasHighMemory);
            Assert.Equal(1024, legacy.Geometry.Entries(0));
        }

        [Fact]
        public void A_frame_given_an_order_by_hand_frees_only_itself_and_says_so()
        {
            var m = Make();
            var pfn = m.Memory.TryAllocate(FrameUse.Data);
            var neighbour = m.Memory.TryAllocate(FrameUse.Data);
            m.Memory[pfn].Order = 9;
            m.Memory.Put(pfn);
            Assert.Equal(ViolationKind.InvalidFree, Assert.Single(m.Violations.All).Kind);
            Assert.Equal(FrameUse.Free, m.Memory[pfn].Use);
            Assert.Equal(FrameUse.Data, m.Memory[neighbour].Use);
            Assert.Null(m.Memory.CheckFreeList());
        }

        [Fact]
        public void Injected_failures_hit_only_their_use()
        {
            var m = Make();
            m.Memory.FailNext(FrameUse.TableBatch, 1);
            Assert.Equal(0, m.Memory.TryAllocate(FrameUse.TableBatch));
            Assert.NotEqual(0, m.Memory.TryAllocate(FrameUse.TableBatch));
            Assert.Throws<ArgumentException>(() => m.Memory.FailNext(FrameUse.Free, 1));
            Assert.Throws<ArgumentOutOfRangeException>(() => m.Memory.Get(0));
            Assert.Throws<ArgumentOutOfRangeException>(() => m.Memory.Put(m.Memory.FrameCount));
        }

        [Fact]
        public void Accounting_finds_a_leaked_frame_and_nothing_else()
        {
            var m = Make();
            var mm = m.CreateMm()!;
            Machines.MapPage(m, mm, 0x40_0000);
            Assert.Empty(FrameAccounting.Unaccounted(m, new[] { mm }));
            var leaked = m.Memory.TryAllocate(FrameUse.GatherBatch);
            Assert.Equal(new[] { leaked }, FrameAccounting.Unaccounted(m, new[] { mm }));
            Assert.Equal(ViolationKind.PageLeaked, Assert.Single(m.Violations.All).Kind);
            Assert.Empty(FrameAccounting.Unaccounted(m, new[] { mm }, new[] { leaked }));
        }
    }
}
