using System;
using System.Collections.Generic;

namespace Shootdown.Simulation
{
    /// <summary>
    /// "Every page accounted for": each frame is free, or owned by a live address space (a table reachable from its PGD,
    /// or a page mapped there), or owned by someone the caller names (pinned pages, batch pages in flight).
    /// </summary>
    public static class FrameAccounting
    {
        /// <summary>Frames reachable from the page tables of <paramref name="mms"/>: tables and mapped pages, compound tails included.</summary>
        public static HashSet<int> Reachable(Machine machine, IEnumerable<Mm> mms)
        {
            if (machine is null) throw new ArgumentNullException(nameof(machine));
            if (mms is null) throw new ArgumentNullException(nameof(mms));
            var seen = new HashSet<int>();
            foreach (var mm in mms)
            {
                if (!mm.Pgd.IsNone) Visit(machine, mm.Pgd, machine.Geometry.Levels - 1, seen);
                foreach (var deposited in mm.DepositedTables) seen.Add(deposited.Pfn); // under a huge PMD, for a split
            }
            return seen;
        }

        /// <summary>
        /// Frames in use that nobody owns: not reachable from <paramref name="mms"/> and not in <paramref name="owned"/>.
        /// Each one is also recorded as a <see cref="ViolationKind.PageLeaked"/> violation.
        /// </summary>
        public static IReadOnlyList<int> Unaccounted(Machine machine, IEnumerable<Mm> mms, IEnumerable<int>? owned = null)
        {
            var reachable = Reachable(machine, mms);
            if (owned != null)
            {
                foreach (var pfn in owned) reachable.Add(pfn);
            }
            var leaked = new List<int>();
            foreach (var pfn in machine.Memory.FramesInUse())
            {
                if (reachable.Contains(pfn)) continue;
                var head = machine.Memory[pfn].Order < 0 ? machine.Memory[pfn].Head : pfn;
                if (reachable.Contains(head)) continue;
                leaked.Add(pfn);
                machine.Violations.Report(ViolationKind.PageLeaked, -1, $"frame {pfn} ({machine.Memory[pfn].Use}) is neither free nor owned");
            }
            return leaked;
        }

        private static void Visit(Machine m, TableRef table, int level, HashSet<int> seen)
        {
            seen.Add(table.Pfn);
            var g = m.Geometry;
            for (var i = 0; i < g.Entries(level); i++)
            {
                var entry = PageTables.LoadAtomic(m, table, level, i);
                if (!Entry.IsPresent(entry)) continue;
                if (level > 0 && (entry & Entry.Leaf) == 0)
                {
                    var child = PageTables.Deref(m, entry, level - 1);
                    if (!child.IsNone) Visit(m, child, level - 1, seen);
                    continue;
                }
                if ((entry & Entry.Special) != 0) continue;
                var pfn = PageTables.Pfn(m, entry);
                if (pfn == 0) continue;
                seen.Add(pfn);
                var order = m.Memory[pfn].Order;
                for (var t = 1; order > 0 && t < 1 << order; t++) seen.Add(pfn + t);
            }
        }
    }
}
