using System.Threading;
using Shootdown.Simulation;

namespace Shootdown.Explorer
{
    /// <summary>
    /// Lockless walkers the scenarios put on a CPU, beyond fast GUP: an asynchronous hardware walk that is in flight
    /// across scheduling points, a software TLB refill handler, and a <c>pte_offset_map</c> walker under RCU.
    /// </summary>
    public static class Walkers
    {
        /// <summary>
        /// A speculative hardware walk of <paramref name="address"/> (resuming a walk in flight, or from the deepest
        /// walk-cache entry) taken one level per step, as a prefetching walker is
        /// asynchronous to the instruction stream: interrupts and RCU do not hold it off. Its partial walk sits in the
        /// page-walk cache; a TLB invalidation that drops walk caches (freed tables) aborts it and it restarts from the
        /// PGD, as <c>TLBI</c>+<c>DSB</c> waits for walks in flight. Nothing else waits for it, so a table freed without
        /// that invalidation (<c>MMU_GATHER_NO_TABLE_INVALIDATE</c>) is read after the free: a violation.
        /// </summary>
        public static AccessResult InFlightWalk(Cpu cpu, Mm mm, ulong address)
        {
            var m = cpu.Machine;
            if (!m.Descriptor.HardwareWalksTables || cpu.LoadedMm != mm) return AccessResult.NotLoaded;
            var g = m.Geometry;
            for (var attempt = 0; attempt < 3; attempt++)
            {
                var table = mm.Pgd;
                if (table.IsNone) return AccessResult.Fault;
                var restarted = false;
                var start = g.Levels - 1;
                if (attempt == 0 && Resume(cpu, mm, g, address, out var pending, out var pendingLevel))
                {
                    table = pending;
                    start = pendingLevel;
                }
                for (var level = start; level >= 0; level--)
                {
                    // The CPU takes interrupts here while the walk stays in flight: an IPI (a flush without freed
                    // tables, tlb_remove_table_sync_one) is acknowledged without the walk moving on. A CPU that is
                    // waited for runs until it acknowledges, so a resumed walk has room for several.
                    for (var window = level == start && start < g.Levels - 1 ? 3 : 1; window > 0; window--) m.Scheduling.Point(StepKind.Other);
                    m.Scheduling.Point(StepKind.WalkCacheFill);
                    if (level < g.Levels - 1 && !StillCached(cpu, mm, g, level, address, table))
                    {
                        restarted = true; // an invalidation with freed tables dropped the walk in flight
                        break;
                    }
                    if (!PageTables.IsLive(m, table))
                    {
                        m.Violations.Report(ViolationKind.ReadFreedTable, cpu.Id,
                            $"cpu{cpu.Id} hardware walk in flight read {g.LevelName(level)} {table} for {address:x} after it was freed (no table invalidate waited for it)");
                        return AccessResult.Violation;
                    }
                    var word = WordIndex(m, table, level, address);
                    m.Scheduling.TouchEntry(table.Pfn, word, false);
                    var entry = Volatile.Read(ref m.Memory.TableWords(table.Pfn)[word]);
                    m.Trace.Record(EventKind.WalkerRead, cpu.Id, address, (ulong)level, entry);
                    if (!Entry.IsPresent(entry)) return AccessResult.Fault;
                    if (level == 0 || (entry & Entry.Leaf) != 0)
                    {
                        FillTlb(cpu, mm, address, entry, level);
                        return AccessResult.Ok;
                    }
                    var child = PageTables.Deref(m, entry, level - 1);
                    if (child.IsNone) return AccessResult.Fault;
                    cpu.WalkCache.Insert(mm.Id, level - 1, address >> g.Shift(level), child);
                    table = child;
                }
                if (!restarted) return AccessResult.Fault;
            }
            return AccessResult.Fault;
        }

        /// <summary>
        /// Starts a hardware walk of <paramref name="address"/> and leaves it in flight just before its PTE load: the
        /// upper levels are read and held in the page-walk cache, as a speculative walk that was under way when the run
        /// began. <see cref="InFlightWalk"/> of the same address resumes it.
        /// </summary>
        public static void StartWalk(Cpu cpu, Mm mm, ulong address)
        {
            var m = cpu.Machine;
            if (!m.Descriptor.HardwareWalksTables) return;
            var g = m.Geometry;
            var table = mm.Pgd;
            for (var level = g.Levels - 1; level > 0 && !table.IsNone; level--)
            {
                var word = WordIndex(m, table, level, address);
                m.Scheduling.TouchEntry(table.Pfn, word, false);
                var entry = Volatile.Read(ref m.Memory.TableWords(table.Pfn)[word]);
                if (!Entry.IsPresent(entry) || (entry & Entry.Leaf) != 0) return;
                var child = PageTables.Deref(m, entry, level - 1);
                if (child.IsNone) return;
                m.Trace.Record(EventKind.WalkerRead, cpu.Id, address, (ulong)level, entry); // seen by a race-window watch
                cpu.WalkCache.Insert(mm.Id, level - 1, address >> g.Shift(level), child);
                table = child;
            }
        }

        // The deepest table the walk of this address holds (a walk in flight, or the walk cache): where it goes on.
        private static bool Resume(Cpu cpu, Mm mm, PageTableGeometry g, ulong address, out TableRef table, out int level)
        {
            for (level = 0; level < g.Levels - 1; level++)
            {
                if (cpu.WalkCache.TryLookup(mm.Id, level, address >> g.Shift(level + 1), out table)) return true;
            }
            table = default;
            return false;
        }

        /// <summary>
        /// A software TLB refill handler: with interrupts off, walk the Linux tables (each load a step), write the
        /// translation into the TLB right after the PTE load, turn interrupts back on, then use it. Interrupts-off is all
        /// that keeps the tables alive: an IPI flush or an RCU grace period waits for it, a broadcast flush does not.
        /// </summary>
        public static AccessResult SoftwareRefill(Cpu cpu, Mm mm, ulong address)
        {
            var m = cpu.Machine;
            var g = m.Geometry;
            var wasOn = cpu.IrqsEnabled;
            cpu.DisableIrqs();
            var filled = false;
            try
            {
                var table = mm.Pgd;
                if (table.IsNone) return AccessResult.Fault;
                for (var level = g.Levels - 1; level >= 0; level--)
                {
                    if (!PageTables.IsLive(m, table))
                    {
                        m.Violations.Report(ViolationKind.ReadFreedTable, cpu.Id,
                            $"cpu{cpu.Id} TLB refill read {g.LevelName(level)} {table} for {address:x} after it was freed");
                        return AccessResult.Violation;
                    }
                    var entry = level == 0 ? ReadPte(m, table, g.Index(0, address), cpu.Id) : PageTables.Read(m, table, level, g.Index(level, address), cpu.Id);
                    m.Trace.Record(EventKind.WalkerRead, cpu.Id, address, (ulong)level, entry);
                    if (!Entry.IsPresent(entry)) return AccessResult.Fault;
                    if (level == 0 || (entry & Entry.Leaf) != 0)
                    {
                        FillTlb(cpu, mm, address, entry, level); // tlbwr, in the same step as the PTE load
                        filled = true;
                        break;
                    }
                    table = PageTables.Deref(m, entry, level - 1);
                    if (table.IsNone) return AccessResult.Fault;
                }
            }
            finally
            {
                if (wasOn) cpu.EnableIrqs();
            }
            return filled ? m.Mmu.Access(cpu, mm, address) : AccessResult.Fault;
        }

        /// <summary>
        /// A <c>pte_offset_map</c> walker (mm/pgtable-generic.c <c>__pte_offset_map</c>, as the rmap, migration and
        /// <c>page_vma_mapped_walk</c> use it): <c>rcu_read_lock</c> with interrupts on, the upper levels and the PMD read
        /// without a lock, the PTE table mapped and <paramref name="pages"/> PTEs from <paramref name="address"/> read, one
        /// load per step. It takes any IPI, so only a grace period keeps the table it holds alive; the number of present
        /// PTEs it saw, or -1 when it read a freed table.
        /// </summary>
        public static int PteOffsetMap(Cpu cpu, Mm mm, ulong address, int pages)
        {
            var m = cpu.Machine;
            var g = m.Geometry;
            cpu.RcuReadLock();
            try
            {
                var table = mm.Pgd;
                for (var level = g.Levels - 1; level > 0; level--)
                {
                    var entry = PageTables.Read(m, table, level, g.Index(level, address), cpu.Id);
                    if (!PageTables.IsLive(m, table)) return -1;
                    m.Trace.Record(EventKind.WalkerRead, cpu.Id, address, (ulong)level, entry);
                    if (!Entry.IsPresent(entry) || (entry & Entry.Leaf) != 0) return 0; // pmd_none, or pmd_trans_huge: NULL
                    table = PageTables.Deref(m, entry, level - 1);
                }
                var present = 0;
                for (var i = 0; i < pages; i++)
                {
                    var at = address + (ulong)i * (ulong)g.PageSize;
                    var pte = PageTables.Read(m, table, 0, g.Index(0, at), cpu.Id); // ptep_get
                    if (!PageTables.IsLive(m, table)) return -1;
                    m.Trace.Record(EventKind.WalkerRead, cpu.Id, at, 0, pte);
                    if (Entry.IsPresent(pte)) present++;
                }
                return present;
            }
            finally
            {
                cpu.RcuReadUnlock(); // pte_unmap
            }
        }

        // A PTE wider than the word is read as gup_get_pte does: low, high, low again until stable.
        private static ulong ReadPte(Machine m, TableRef table, int index, int cpu)
        {
            if (!m.SplitPte) return PageTables.Read(m, table, 0, index, cpu);
            while (true)
            {
                var low = PageTables.ReadLow(m, table, 0, index, cpu);
                var high = PageTables.ReadHigh(m, table, 0, index, cpu);
                if (PageTables.ReadLow(m, table, 0, index, cpu) == low) return ((ulong)high << 32) | low;
            }
        }

        private static bool StillCached(Cpu cpu, Mm mm, PageTableGeometry g, int level, ulong address, TableRef table) =>
            cpu.WalkCache.TryLookup(mm.Id, level, address >> g.Shift(level + 1), out var cached) && cached == table;

        private static int WordIndex(Machine m, TableRef table, int level, ulong address) =>
            m.Tables.FirstWord(table, level) + m.Geometry.Index(level, address);

        private static void FillTlb(Cpu cpu, Mm mm, ulong address, ulong entry, int level)
        {
            var m = cpu.Machine;
            var pfn = PageTables.Pfn(m, entry);
            if (pfn == 0) return;
            m.Scheduling.Touch(SharedObject.Frame(pfn), false);
            var head = m.Memory[pfn].Order < 0 ? m.Memory[pfn].Head : pfn;
            m.Scheduling.Touch(SharedObject.Frame(head), false);
            cpu.Tlb.Insert(mm.Id, address, new TlbEntry(head, m.Memory[head].Incarnation, entry & Entry.FlagMask, m.Geometry.EntrySize(level)));
        }
    }
}
