using System.Linq;
using Shootdown.Simulation;

namespace Shootdown.Runtime.Tests.MachineTests
{
    /// <summary>The unsafe orders of the model, each shown as a recorded violation, next to the safe order staying clean.</summary>
    public class RaceTests
    {
        private const ulong Address = 0x4020_0000;

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void Freeing_a_page_before_invalidating_lets_a_stale_tlb_entry_touch_it(bool wrongOrder)
        {
            var m = new Machine(Machines.IpiX86, cpus: 2, frames: 256);
            var mm = m.CreateMm()!;
            m.Cpu(0).SwitchTo(mm);
            m.Cpu(1).SwitchTo(mm);
            var pfn = Machines.MapPage(m, mm, Address);
            Assert.Equal(AccessResult.Ok, m.Mmu.Access(m.Cpu(1), mm, Address));
            PageTables.Clear(m, Machines.PteTable(m, mm, Address), 0, m.Geometry.Index(0, Address));
            m.Memory.RemoveMap(pfn);
            if (wrongOrder)
            {
                m.Memory.Put(pfn); // free first: cpu1 still caches the translation
                Assert.Equal(AccessResult.Violation, m.Mmu.Access(m.Cpu(1), mm, Address));
                Assert.Equal(ViolationKind.StaleTlbUse, Assert.Single(m.Violations.All).Kind);
                return;
            }
            m.Shootdown.FlushRangeByIpi(m.Cpu(0), mm, Address, Address + 4096, freedTables: false);
            m.Memory.Put(pfn);
            Assert.Equal(AccessResult.Fault, m.Mmu.Access(m.Cpu(1), mm, Address));
            Assert.True(m.Violations.IsEmpty);
        }

        /// <summary>
        /// cpu0 unhooks a PTE table, invalidates and frees it; cpu1 walks the same range locklessly with interrupts off.
        /// </summary>
        private static (Machine, Scenario) UnhookVersusWalker(ArchDescriptor d, bool byIpi)
        {
            var m = new Machine(d, cpus: 2, frames: 256);
            m.Trace.Enabled = true;
            var mm = m.CreateMm()!;
            m.Cpu(0).SwitchTo(mm);
            m.Cpu(1).SwitchTo(mm);
            var pfn = Machines.MapPage(m, mm, Address);
            var pmd = Machines.PmdTable(m, mm, Address);
            var pmdIndex = m.Geometry.Index(1, Address);
            var scenario = new Scenario()
                .On(0, cpu =>
                {
                    var entry = PageTables.Clear(m, pmd, 1, pmdIndex); // unhook (after zapping: here the page stays mapped in the dead table)
                    m.Trace.Record(EventKind.EntryCleared, cpu.Id, Address, 1);
                    var table = PageTables.Deref(m, entry, 0);
                    var pte = PageTables.Clear(m, table, 0, m.Geometry.Index(0, Address));
                    m.Memory.RemoveMap(PageTables.Pfn(m, pte));
                    if (byIpi) m.Shootdown.FlushRangeByIpi(cpu, mm, Address & ~((1UL << 21) - 1), (Address & ~((1UL << 21) - 1)) + (1UL << 21), freedTables: true);
                    else m.Shootdown.FlushRangeByBroadcast(cpu, mm, Address & ~((1UL << 21) - 1), (Address & ~((1UL << 21) - 1)) + (1UL << 21), freedTables: true);
                    m.Tables.Free(table, cpu.Id);
                    m.Memory.Put(pfn, cpu.Id);
                })
                .On(1, cpu =>
                {
                    var got = Machines.GupOne(cpu, mm, Address);
                    if (got != 0) m.Memory.Put(got, cpu.Id);
                });
            return (m, scenario);
        }

        [Fact]
        public void Broadcast_flush_does_not_wait_for_an_interrupts_off_walker_which_then_reads_a_freed_table()
        {
            var results = ScheduleExplorer.Exhaustive(() => UnhookVersusWalker(Machines.BroadcastArm, byIpi: false), maxRuns: 3000).ToList();
            Assert.All(results, r => Assert.Equal(RunOutcome.Completed, r.Outcome));
            var bad = results.FirstOrDefault(r => r.Violations.Any(v => v.Kind == ViolationKind.ReadFreedTable));
            Assert.NotNull(bad);
            // The schedule is a value: replaying it gives the same violation and trace.
            var (m, s) = UnhookVersusWalker(Machines.BroadcastArm, byIpi: false);
            var replay = m.Run(s, new RunOptions(bad!.Schedule));
            Assert.Equal(bad.TraceText(), replay.TraceText());
            var violation = replay.Violations.First(v => v.Kind == ViolationKind.ReadFreedTable);
            Assert.Contains(violation.History, e => e.Kind == EventKind.TableFreed);
            Assert.Contains(violation.History, e => e.Kind == EventKind.BroadcastFlush);
        }

        [Fact]
        public void The_same_unhook_with_an_ipi_flush_is_clean_in_every_interleaving_because_the_ipi_waits()
        {
            var results = ScheduleExplorer.Exhaustive(() => UnhookVersusWalker(Machines.IpiX86, byIpi: true), maxRuns: 3000).ToList();
            Assert.True(results.Count > 10);
            Assert.All(results, r => Assert.True(r.Clean, r + " " + string.Join("; ", r.Violations)));
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void Freeing_a_table_without_dropping_walk_caches_leaves_a_stale_walk_cache_pointer(bool freedTables)
        {
            var m = new Machine(Machines.IpiX86, cpus: 2, frames: 256);
            var mm = m.CreateMm()!;
            m.Cpu(0).SwitchTo(mm);
            m.Cpu(1).SwitchTo(mm);
            var pfn = Machines.MapPage(m, mm, Address);
            Assert.Equal(AccessResult.Ok, m.Mmu.SpeculativeWalk(m.Cpu(1), mm, Address));
            Assert.True(m.Cpu(1).WalkCache.Count > 0);
            var pmd = Machines.PmdTable(m, mm, Address);
            var table = PageTables.Deref(m, PageTables.Clear(m, pmd, 1, m.Geometry.Index(1, Address)), 0);
            PageTables.Clear(m, table, 0, m.Geometry.Index(0, Address));
            m.Memory.RemoveMap(pfn);
            m.Shootdown.FlushRangeByIpi(m.Cpu(0), mm, Address, Address + 4096, freedTables);
            m.Tables.Free(table);
            m.Memory.Put(pfn);
            var result = m.Mmu.Access(m.Cpu(1), mm, Address + 4096);
            if (freedTables)
            {
                Assert.Equal(AccessResult.Fault, result);
                Assert.True(m.Violations.IsEmpty);
            }
            else
            {
                Assert.Equal(AccessResult.Violation, result);
                Assert.Equal(ViolationKind.StaleWalkCacheUse, Assert.Single(m.Violations.All).Kind);
            }
        }

        private sealed class Seen
        {
            public readonly System.Collections.Generic.HashSet<int> Frames = new();
            public int Old;
            public int New;
        }

        private static (Machine, Scenario) RemapVersusSingleLoad(Seen seen)
        {
            var m = new Machine(Machines.Pae, cpus: 2, frames: 64);
            m.Trace.Enabled = true;
            var mm = m.CreateMm()!;
            seen.Old = Machines.MapPage(m, mm, Address);
            seen.New = m.Memory.TryAllocate(FrameUse.Data);
            Assert.NotEqual(m.Memory.PhysicalAddress(seen.Old) >> 32, m.Memory.PhysicalAddress(seen.New) >> 32);
            var pte = Machines.PteTable(m, mm, Address);
            var index = m.Geometry.Index(0, Address);
            var scenario = new Scenario()
                .On(0, cpu =>
                {
                    PageTables.Clear(m, pte, 0, index); // low, then high
                    PageTables.Write(m, pte, 0, index, PageTables.PageEntry(m, seen.New, Entry.Write)); // high, wmb, low
                })
                .On(1, cpu =>
                {
                    var entry = PageTables.Read(m, pte, 0, index); // one "64-bit" load: two word loads on this machine
                    if (!Entry.IsPresent(entry)) return;
                    var pfn = PageTables.Pfn(m, entry);
                    lock (seen.Frames) seen.Frames.Add(pfn);
                    // Taking a reference is what accepts the value, as fast GUP's try_grab_folio_fast does.
                    if (pfn > 0 && m.Memory.TryGet(pfn)) m.Memory.Put(pfn, cpu.Id);
                });
            return (m, scenario);
        }

        [Fact]
        public void A_single_load_of_a_64_bit_pte_on_a_32_bit_machine_can_see_a_torn_entry_pointing_at_a_frame_never_mapped()
        {
            var seen = new Seen();
            var results = ScheduleExplorer.Exhaustive(() => RemapVersusSingleLoad(seen), maxRuns: 200).ToList();
            Assert.All(results, r => Assert.Equal(RunOutcome.Completed, r.Outcome));
            Assert.Contains(seen.Old, seen.Frames);
            Assert.Contains(seen.New, seen.Frames);
            Assert.Contains(seen.Frames, pfn => pfn != seen.Old && pfn != seen.New);
            Assert.Contains(results, r => r.Violations.Any(v => v.Kind == ViolationKind.TornPte));
            // A torn load that names no live frame is refused by the reference count, and is no violation by itself.
            Assert.All(results.Where(r => r.Violations.Any(v => v.Kind == ViolationKind.TornPte)),
                r => Assert.Contains(r.Violations, v => v.Detail.Contains("took a reference", System.StringComparison.Ordinal)));
            Assert.All(results.Where(r => r.Violations.Count == 0), r => Assert.DoesNotContain(r.Trace, e => e.Kind == EventKind.Violation));
        }
    }
}
