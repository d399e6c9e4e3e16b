using System;
using System.Collections.Generic;

namespace Shootdown.Simulation
{
    /// <summary>
    /// Allocates page tables. Upper levels take whole frames; PTE tables may be fragments, s390 style: a per-page mask
    /// of fragments in use and of fragments whose free is deferred (<c>pte_free_defer</c>). The page goes back only when
    /// no fragment is in use and no deferred free is pending.
    /// </summary>
    public sealed class PageTableAllocator
    {
        private readonly PhysicalMemory _memory;
        private readonly PageTableGeometry _geometry;
        private readonly Dictionary<int, FragmentPage> _pages = new();
        private readonly object _lock = new();

        private sealed class FragmentPage
        {
            public int InUse;   // bit per fragment
            public int Pending; // bit per fragment whose free waits for a grace period
        }

        /// <summary>An allocator over <paramref name="memory"/> for tables shaped by <paramref name="geometry"/>.</summary>
        public PageTableAllocator(PhysicalMemory memory, PageTableGeometry geometry)
        {
            _memory = memory;
            _geometry = geometry;
        }

        /// <summary>Allocates a zeroed table for <paramref name="level"/>, or <see cref="TableRef.None"/> on failure.</summary>
        public TableRef Allocate(int level, int cpu = 0)
        {
            if (level < 0 || level >= _geometry.Levels) throw new ArgumentOutOfRangeException(nameof(level), level, "no such level");
            if (level == 0 && _geometry.FragmentsPerPage > 1) return AllocateFragment(cpu);
            var pfn = _memory.TryAllocate(FrameUse.PageTable, cpu);
            if (pfn == 0) return TableRef.None;
            Array.Clear(_memory.TableWords(pfn));
            return new TableRef(pfn, 0, _memory[pfn].Incarnation);
        }

        private TableRef AllocateFragment(int cpu)
        {
            var all = (1 << _geometry.FragmentsPerPage) - 1;
            lock (_lock)
            {
                foreach (var pair in _pages)
                {
                    var taken = pair.Value.InUse | pair.Value.Pending;
                    if (taken == all) continue;
                    var bit = FirstClear(taken);
                    pair.Value.InUse |= 1 << bit;
                    ClearFragment(pair.Key, bit);
                    return new TableRef(pair.Key, bit, _memory[pair.Key].Incarnation);
                }
            }
            var pfn = _memory.TryAllocate(FrameUse.PageTable, cpu);
            if (pfn == 0) return TableRef.None;
            lock (_lock) _pages[pfn] = new FragmentPage { InUse = 1 };
            ClearFragment(pfn, 0);
            return new TableRef(pfn, 0, _memory[pfn].Incarnation);
        }

        /// <summary>
        /// Frees a table now (<c>pte_free</c>, <c>__tlb_remove_table</c>). For a fragment the page is freed only when its
        /// last fragment goes and no deferred free is pending.
        /// </summary>
        public void Free(TableRef table, int cpu = 0)
        {
            if (table.IsNone) throw new ArgumentException("cannot free no table", nameof(table));
            if (!IsFragmentPage(table.Pfn))
            {
                _memory.Free(table.Pfn, cpu);
                return;
            }
            bool release;
            lock (_lock)
            {
                var page = _pages[table.Pfn];
                var bit = 1 << table.Fragment;
                if ((page.InUse & bit) == 0 && (page.Pending & bit) == 0)
                {
                    _memory.Free(table.Pfn, cpu); // reports the double free; the page stays as it was
                    return;
                }
                page.InUse &= ~bit;
                page.Pending &= ~bit;
                release = page.InUse == 0 && page.Pending == 0;
                if (release) _pages.Remove(table.Pfn);
            }
            if (release) _memory.Free(table.Pfn, cpu);
        }

        /// <summary>
        /// Marks a fragment as free-pending (<c>pte_free_defer</c>): it can no longer be handed out, and its page stays
        /// until <see cref="Free"/> is called for it after the grace period.
        /// </summary>
        public void MarkPendingFree(TableRef table)
        {
            if (!IsFragmentPage(table.Pfn)) return;
            lock (_lock)
            {
                var page = _pages[table.Pfn];
                var bit = 1 << table.Fragment;
                page.InUse &= ~bit;
                page.Pending |= bit;
            }
        }

        /// <summary>True when <paramref name="pfn"/> is a page of PTE fragments.</summary>
        public bool IsFragmentPage(int pfn)
        {
            lock (_lock) return _pages.ContainsKey(pfn);
        }

        /// <summary>Fragments in use and pending on <paramref name="pfn"/>, for tests and the tool.</summary>
        public (int InUse, int Pending) FragmentState(int pfn)
        {
            lock (_lock) return _pages.TryGetValue(pfn, out var p) ? (p.InUse, p.Pending) : (0, 0);
        }

        /// <summary>Entries of <paramref name="table"/> start at this word of its frame.</summary>
        public int FirstWord(TableRef table) => table.Fragment * _geometry.Entries(0);

        private void ClearFragment(int pfn, int fragment)
        {
            var n = _geometry.Entries(0);
            Array.Clear(_memory.TableWords(pfn), fragment * n, n);
        }

        private static int FirstClear(int mask)
        {
            var bit = 0;
            while ((mask & (1 << bit)) != 0) bit++;
            return bit;
        }
    }
}
