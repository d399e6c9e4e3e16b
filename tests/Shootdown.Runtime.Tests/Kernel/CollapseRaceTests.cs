using System.Linq;
using Shootdown.Kernel;
using Shootdown.Reference;
using Shootdown.Simulation;
using static Shootdown.Runtime.Tests.Reference.TestMachines;

namespace Shootdown.Runtime.Tests.Kernel
{
    /// <summary>
    /// khugepaged's collapse against fast GUP on the same PMD, in every schedule up to a preemption bound:
    /// <c>pmdp_collapse_flush</c>, then <c>tlb_remove_table_sync_one</c> + <c>pte_free</c> or <c>pte_free_defer</c>
    /// (Linux 2ba99c5e0881, 70cbc3cc78a9) keep the walker out of a freed PTE table; freeing at once does not.
    /// </summary>
    public sealed class CollapseRaceTests
    {
        private const int Pages = 4;

        private sealed class Outcome
        {
            public int Pinned = -1;
            public CollapseResult Result;
            public readonly int[] Frames = new int[Pages];
        }

        private static (Machine, Scenario) CollapseVersusFastGup(ArchDescriptor d, CollapseTableFree free, Outcome seen)
        {
            var (m, mm, _, _) = Boot(d);
            m.Trace.Enabled = true;
            var pmd = m.Geometry.EntrySize(1);
            AddressSpace.Mmap(m, mm, Base, pmd, VmaFlags.Write);
            Assert.True(AddressSpace.Populate(m.Cpu(0), mm, Base, Base + Pages * 4096UL));
            var scenario = new Scenario()
                .On(0, cpu =>
                {
                    // __collapse_huge_page_isolate backs off (SCAN_PAGE_COUNT) when the walker already holds its pin.
                    seen.Result = Khugepaged.Collapse(cpu, mm, Base, free);
                    Assert.True(seen.Result is CollapseResult.Collapsed or CollapseResult.PagePinned, seen.Result.ToString());
                })
                .On(1, cpu =>
                {
                    seen.Pinned = ReferenceFastGup.GupFast(cpu, mm, Base, false, seen.Frames);
                    for (var i = 0; i < seen.Pinned; i++) m.Memory.Put(seen.Frames[i], cpu.Id); // unpin_user_pages
                });
            return (m, scenario);
        }

        [Theory]
        [InlineData(CollapseTableFree.SyncThenFree)]
        [InlineData(CollapseTableFree.Defer)]
        public void Collapse_racing_fast_gup_is_safe_with_sync_or_pte_free_defer(CollapseTableFree free)
        {
            // Broadcast invalidation with RCU table freeing (arm64): the collapse's flush waits for nobody, so only the
            // sync IPI (held off by the walker's interrupts-off section) or the deferred free protects the walker.
            var pinnedBase = 0;
            var pinnedNone = 0;
            var results = Explore.All(() => CollapseVersusFastGup(Arm64Like(), free, new Outcome()), preemptions: 2);
            Assert.All(results, r => Assert.True(r.Violations.Count == 0, Explore.Describe(r)));
            var runs = results.Count;
            if (free == CollapseTableFree.SyncThenFree)
                Assert.Contains(results, r => Explore.WalkedWhileIpiPending(r, sender: 0, walker: 1)); // the sync really waited
            // Replay a few schedules on fresh machines to see what the walker got and that every page is accounted for.
            foreach (var seed in Enumerable.Range(0, 24))
            {
                var seen = new Outcome();
                var (m, s) = CollapseVersusFastGup(Arm64Like(), free, seen);
                var r = m.Run(s, new RunOptions(Seed: seed));
                Assert.True(r.Clean, r + " " + Explore.Describe(r));
                // Base pages pinned before their PTE was cleared stay valid: the pin holds the old page until unpinned.
                Assert.InRange(seen.Pinned, 0, Pages);
                if (seen.Pinned > 0) pinnedBase++;
                else pinnedNone++;
                Assert.True(m.Rcu.Quiesce());
                var mm = m.Cpu(0).ActiveMm!;
                Assert.Empty(FrameAccounting.Unaccounted(m, new[] { mm }));
                var pages = new int[Pages];
                Assert.Equal(Pages, Gup.GetUserPagesFast<ReferenceFastGup>(m.Cpu(1), mm, Base, Pages, false, pages));
                if (seen.Result == CollapseResult.Collapsed)
                {
                    for (var i = 0; i < Pages; i++) Assert.Equal(pages[0] + i, pages[i]); // base page i of the new huge page
                    Assert.True(m.Memory[pages[0]].Order > 0);
                }
            }
            Assert.True(runs > 200, $"only {runs} schedules: the race was not explored");
            Assert.True(pinnedBase > 0 && pinnedNone > 0, $"the walker won {pinnedBase} times and lost {pinnedNone}: one side never happened");
        }

        [Fact]
        public void Collapse_freeing_the_table_at_once_lets_fast_gup_read_it_after_the_free_on_broadcast_machines()
        {
            var results = Explore.All(() => CollapseVersusFastGup(Arm64Like(), CollapseTableFree.FreeWithoutSync, new Outcome()), preemptions: 1);
            var bad = results.FirstOrDefault(r => r.Violations.Any(v => v.Kind == ViolationKind.ReadFreedTable));
            Assert.NotNull(bad);
            var history = bad!.Violations.First(v => v.Kind == ViolationKind.ReadFreedTable).History;
            Assert.Contains(history, e => e.Kind == EventKind.TableFreed);
            // The schedule is a value: replaying it on a fresh machine breaks the invariant the same way.
            var (m, s) = CollapseVersusFastGup(Arm64Like(), CollapseTableFree.FreeWithoutSync, new Outcome());
            var replay = m.Run(s, new RunOptions(bad.Schedule));
            Assert.Equal(bad.TraceText(), replay.TraceText());
        }

        [Fact]
        public void On_ipi_machines_the_collapse_flush_itself_waits_for_the_walker()
        {
            // x86 without RCU table freeing: tlb_remove_table_sync_one is empty, pmdp_collapse_flush's IPI is the sync.
            var results = Explore.All(() => CollapseVersusFastGup(X86Like(GatherOptions.None), CollapseTableFree.SyncThenFree, new Outcome()), preemptions: 2);
            Assert.All(results, r => Assert.True(r.Violations.Count == 0, Explore.Describe(r)));
            Assert.Contains(results, r => r.Trace.Any(e => e.Kind == EventKind.IpiFlush));
        }
    }
}
