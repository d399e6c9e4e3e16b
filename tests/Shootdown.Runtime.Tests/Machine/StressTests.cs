using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using Shootdown.Simulation;

namespace Shootdown.Runtime.Tests.MachineTests
{
    /// <summary>
    /// Real threads, no scheduler: a writer maps and unmaps pages and unhooks PTE tables in the safe order while readers
    /// walk locklessly with interrupts off (fast GUP shape) and through the MMU. Bounded in time.
    /// </summary>
    public class StressTests
    {
        private const ulong Base = 0x4000_0000;
        private const int Pages = 16;
        private static readonly TimeSpan Duration = TimeSpan.FromSeconds(1.5);

        private static ulong PmdSpan(Machine m) => m.Geometry.EntrySize(1);

        private static void Writer(Machine m, Mm mm, Cpu cpu, bool rcuTableFree)
        {
            var g = m.Geometry;
            var random = new Random(1);
            var clock = Stopwatch.StartNew();
            var mapped = new int[Pages];
            var round = 0;
            while (clock.Elapsed < Duration)
            {
                round++;
                var slot = random.Next(Pages);
                var address = Base + (ulong)slot * (ulong)g.PageSize;
                if (mapped[slot] == 0)
                {
                    mm.PageTableLock.Enter(cpu);
                    mapped[slot] = Machines.MapPage(m, mm, address, cpu.Id);
                    mm.PageTableLock.Exit(cpu);
                }
                else
                {
                    int pfn;
                    mm.PageTableLock.Enter(cpu);
                    var pte = Machines.PteTable(m, mm, address, cpu.Id);
                    pfn = PageTables.Pfn(m, PageTables.Clear(m, pte, 0, g.Index(0, address)));
                    Assert.Equal(mapped[slot], pfn);
                    m.Memory.RemoveMap(pfn, cpu.Id);
                    mapped[slot] = 0;
                    mm.PageTableLock.Exit(cpu);
                    Flush(m, cpu, mm, address, address + (ulong)g.PageSize, freedTables: false);
                    m.Memory.Put(pfn, cpu.Id); // unhook, invalidate, free
                }
                if (round % 64 == 0 && mapped.All(p => p == 0))
                {
                    TableRef table;
                    mm.PageTableLock.Enter(cpu);
                    var pmd = Machines.PmdTable(m, mm, Base);
                    table = PageTables.Deref(m, PageTables.Clear(m, pmd, 1, g.Index(1, Base)), 0);
                    mm.PageTableLock.Exit(cpu);
                    Flush(m, cpu, mm, Base, Base + PmdSpan(m), freedTables: true);
                    if (rcuTableFree) m.Rcu.CallRcu(cpu, () => m.Tables.Free(table, cpu.Id));
                    else m.Tables.Free(table, cpu.Id);
                }
            }
        }

        private static void Flush(Machine m, Cpu cpu, Mm mm, ulong start, ulong end, bool freedTables)
        {
            if (m.Descriptor.Invalidation == Invalidation.Ipi) m.Shootdown.FlushRangeByIpi(cpu, mm, start, end, freedTables);
            else m.Shootdown.FlushRangeByBroadcast(cpu, mm, start, end, freedTables);
        }

        private static void Reader(Machine m, Mm mm, Cpu cpu, int seed, ref long pins)
        {
            var random = new Random(seed);
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < Duration)
            {
                var address = Base + (ulong)random.Next(Pages) * (ulong)m.Geometry.PageSize;
                var pfn = Machines.GupOne(cpu, mm, address);
                if (pfn != 0)
                {
                    pins++;
                    m.Memory.Put(pfn, cpu.Id);
                }
                m.Mmu.Access(cpu, mm, address);
                if (random.Next(8) == 0) m.Mmu.SpeculativeWalk(cpu, mm, address + (ulong)m.Geometry.PageSize);
            }
        }

        private static void Run(ArchDescriptor d, bool rcuTableFree)
        {
            var m = new Machine(d, cpus: 3, frames: 512);
            var mm = m.CreateMm()!;
            foreach (var cpu in m.Cpus) cpu.SwitchTo(mm);
            long pins1 = 0, pins2 = 0;
            var result = m.RunFreely(new Scenario()
                .On(0, cpu => Writer(m, mm, cpu, rcuTableFree))
                .On(1, cpu => Reader(m, mm, cpu, 11, ref pins1))
                .On(2, cpu => Reader(m, mm, cpu, 22, ref pins2)), TimeSpan.FromSeconds(30));
            Assert.True(result.Outcome == RunOutcome.Completed, result + " " + string.Join("; ", result.Errors.Select(e => e.ToString())));
            Assert.True(m.Rcu.Quiesce());
            Assert.True(result.Violations.Count == 0, string.Join("\n", result.Violations.Take(3)));
            Assert.True(pins1 + pins2 > 0, "the readers never pinned a page: the stress did not stress");
            Assert.Empty(FrameAccounting.Unaccounted(m, new[] { mm }));
            Assert.Null(m.Memory.CheckFreeList());
            Assert.True(m.Violations.IsEmpty);
        }

        [Fact]
        public void Ipi_flush_keeps_interrupts_off_walkers_safe_on_real_threads() => Run(Machines.IpiX86, rcuTableFree: false);

        [Fact]
        public void Broadcast_flush_with_rcu_table_free_keeps_interrupts_off_walkers_safe_on_real_threads() =>
            Run(Machines.Describe("bcast-rcu", Invalidation.HardwareBroadcast, walker: WalkerKind.CachesUpperLevels, options: GatherOptions.RcuTableFree),
                rcuTableFree: true);

        [Fact]
        public void Split_pte_machine_with_ipi_flush_stays_clean_when_entries_go_from_empty_to_present_and_back()
            => Run(Machines.Pae, rcuTableFree: false);
    }
}
