using System;
using System.Collections.Generic;
using System.Threading;

namespace Shootdown.Simulation
{
    /// <summary>
    /// Allocates page tables. Upper levels take whole frames; PTE tables may be fragments, s390 style: a per-page mask
    /// of fragments in use and of fragments whose free is deferred (<c>pte_free_defer</c>). The page goes back only when
    /// no fragment is in use and no deferred free is pending. Every table carries a stamp (the frame's incarnation and
    /// the fragment's generation) so a pointer to a table that was freed, or freed and handed out again, is told apart.
    /// </summary>
    public sealed class PageTableAllocator
    {
        private const int GenerationBits = 8;
        private readonly PhysicalMemory _memory;
        private readonly PageTableGeometry _geometry;
        private readonly Dictionary<int, FragmentPage> _pages = new();
        private readonly byte[] _generation;
        private readonly Lock _lock = new();

        private sealed class FragmentPage
        {
            public int InUse;   // bit per fragment
            public int Pending; // bit per fragment whose free waits for a grace period
        }

        /// <summary>An allocator over <paramref name="memory"/> for tables shaped by <paramref name="geometry"/>.</summary>
        public PageTableAllocator(PhysicalMemory memory, PageTableGeometry geometry)
        {
            _memory = memory ?? throw new ArgumentNullException(nameof(memory));
            _geometry = geometry ?? throw new ArgumentNullException(nameof(geometry));
            _generation = new byte[memory.FrameCount * geometry.FragmentsPerPage];
            if (geometry.FragmentsPerPage > 1) memory.LiveTablesOn = LiveFragments;
        }

        /// <summary>Allocates a zeroed table for <paramref name="level"/>, or <see cref="TableRef.None"/> on failure.</summary>
        public TableRef Allocate(int level, int cpu = 0)
        {
            if (level < 0 || level >= _geometry.Levels) throw new ArgumentOutOfRangeException(nameof(level), level, $"no level {level} in {_geometry.Levels}-level tables");
            if (level == 0 && _geometry.FragmentsPerPage > 1) return AllocateFragment(cpu);
            // s390's region and segment tables are several pages (CRST_ALLOC_ORDER): one compound allocation, freed whole.
            var pfn = _memory.TryAllocateCompound(FrameUse.PageTable, GatherGeometry.Log2(_geometry.TableFrames(level)), cpu);
            if (pfn == 0) return TableRef.None;
            Array.Clear(_memory.TableWords(pfn));
            return new TableRef(pfn, 0, Stamp(pfn, 0));
        }

        private TableRef AllocateFragment(int cpu)
        {
            var all = (1 << _geometry.FragmentsPerPage) - 1;
            _memory.Points?.Touch(SharedObject.Allocator, true);
            lock (_lock)
            {
                foreach (var pair in _pages)
                {
                    var taken = pair.Value.InUse | pair.Value.Pending;
                    if (taken == all) continue;
                    var bit = FirstClear(taken);
                    _memory.Points?.Touch(SharedObject.Frame(pair.Key), true);
                    pair.Value.InUse |= 1 << bit;
                    ClearFragment(pair.Key, bit);
                    return new TableRef(pair.Key, bit, Stamp(pair.Key, bit));
                }
            }
            var pfn = _memory.TryAllocate(FrameUse.PageTable, cpu);
            if (pfn == 0) return TableRef.None;
            lock (_lock) _pages[pfn] = new FragmentPage { InUse = 1 };
            ClearFragment(pfn, 0);
            return new TableRef(pfn, 0, Stamp(pfn, 0));
        }

        /// <summary>
        /// The current stamp of fragment <paramref name="fragment"/> of <paramref name="pfn"/>: a pointer carrying another
        /// stamp points at a table that is gone.
        /// </summary>
        public int Stamp(int pfn, int fragment)
        {
            if ((uint)fragment >= (uint)_geometry.FragmentsPerPage) throw new ArgumentOutOfRangeException(nameof(fragment), fragment, "no such fragment");
            return Compose(_memory[pfn].Incarnation, _generation[GenerationIndex(pfn, fragment)]);
        }

        // Where the generation of fragment `fragment` of page `pfn` is kept.
        private int GenerationIndex(int pfn, int fragment) => pfn * _geometry.FragmentsPerPage + fragment;

        private static int Compose(int incarnation, byte generation) => (incarnation << GenerationBits) | generation;

        /// <summary>
        /// The liveness check of one table with the places of its stamp settled: a walker that opens a table once asks
        /// it at every load, so the frame and generation it reads are found once, not at each ask.
        /// </summary>
        internal LivenessProbe Probe(TableRef table)
        {
            if (table.IsNone || (uint)table.Fragment >= (uint)_geometry.FragmentsPerPage) throw new ArgumentOutOfRangeException(nameof(table), table, "no such table");
            _memory.CheckPfn(table.Pfn);
            return ProbeOf(table);
        }

        private LivenessProbe ProbeOf(TableRef table) =>
            new(_memory.Frames, _generation, table.Pfn, GenerationIndex(table.Pfn, table.Fragment), table.Incarnation);

        /// <summary>What <see cref="IsLive"/> asks of one table, on the frame and generation found once.</summary>
        internal readonly struct LivenessProbe(PageFrame[] frames, byte[] generation, int pfn, int generationIndex, int stamp)
        {
            public bool IsLive
            {
                get
                {
                    ref var frame = ref frames[pfn];
                    return frame.Use == FrameUse.PageTable && Compose(frame.Incarnation, generation[generationIndex]) == stamp;
                }
            }
        }

        /// <summary>True when <paramref name="table"/> is still the table it was when the pointer was taken.</summary>
        public bool IsLive(TableRef table)
        {
            if (table.IsNone || (uint)table.Pfn >= (uint)_memory.FrameCount || (uint)table.Fragment >= (uint)_geometry.FragmentsPerPage) return false;
            // Every load of every walker asks this: one look at the frame, then its stamp, without Stamp's checks again.
            _memory.Points?.Touch(SharedObject.Frame(table.Pfn), false);
            return ProbeOf(table).IsLive;
        }

        /// <summary>
        /// Frees a table now (<c>pte_free</c>, <c>__tlb_remove_table</c>). For a fragment the page is freed only when its
        /// last fragment goes and no deferred free is pending. Freeing a table that is already gone is a double free.
        /// </summary>
        public void Free(TableRef table, int cpu = 0)
        {
            if (table.IsNone) throw new ArgumentException("cannot free no table", nameof(table));
            if ((uint)table.Pfn >= (uint)_memory.FrameCount || (uint)table.Fragment >= (uint)_geometry.FragmentsPerPage)
                throw new ArgumentOutOfRangeException(nameof(table), table, "no such table");
            if (!IsLive(table))
            {
                // Freed already, or the frame now holds something else: freeing through this pointer would free that.
                _memory.Violations.Report(ViolationKind.DoubleFree, cpu, $"{table} freed, but it is no longer that table (freed twice?)");
                return;
            }
            if (!IsFragmentPage(table.Pfn))
            {
                // The table is gone from here on (IsLive is false), though its frame returns to the allocator only after
                // the scheduling point in PhysicalMemory.Free: the free is recorded here, where a walker can first see it.
                BumpGeneration(table.Pfn, 0);
                _memory.RecordTableFreed(table.Pfn, cpu);
                _memory.Free(table.Pfn, cpu, recorded: true);
                return;
            }
            bool release;
            _memory.Points?.Touch(SharedObject.Allocator, true);
            _memory.Points?.Touch(SharedObject.Frame(table.Pfn), true);
            lock (_lock)
            {
                var page = _pages[table.Pfn];
                var bit = 1 << table.Fragment;
                page.InUse &= ~bit;
                page.Pending &= ~bit;
                BumpGeneration(table.Pfn, table.Fragment);
                release = page.InUse == 0 && page.Pending == 0;
                if (release) _pages.Remove(table.Pfn);
            }
            // As above: the last fragment's page is recorded freed in the step its table dies.
            if (release) _memory.RecordTableFreed(table.Pfn, cpu);
            if (release) _memory.Free(table.Pfn, cpu, recorded: true);
            else _memory.Points?.Point(StepKind.RefCount);
        }

        /// <summary>
        /// Marks a fragment as free-pending (<c>pte_free_defer</c>): it can no longer be handed out, and its page stays
        /// until <see cref="Free"/> is called for it after the grace period.
        /// </summary>
        public void MarkPendingFree(TableRef table)
        {
            if (table.IsNone) throw new ArgumentException("cannot defer the free of no table", nameof(table));
            if (!IsFragmentPage(table.Pfn)) return;
            _memory.Points?.Touch(SharedObject.Allocator, true);
            _memory.Points?.Touch(SharedObject.Frame(table.Pfn), true);
            lock (_lock)
            {
                var page = _pages[table.Pfn];
                var bit = 1 << table.Fragment;
                if ((page.InUse & bit) == 0)
                    throw new InvalidOperationException($"{table} is not in use: a fragment can be deferred once, while it is a table");
                page.InUse &= ~bit;
                page.Pending |= bit;
            }
        }

        /// <summary>True when <paramref name="pfn"/> is a page of PTE fragments.</summary>
        public bool IsFragmentPage(int pfn)
        {
            _memory.Points?.Touch(SharedObject.Allocator, false);
            lock (_lock) return _pages.ContainsKey(pfn);
        }

        /// <summary>Fragments in use and pending on <paramref name="pfn"/>, for tests and the tool.</summary>
        public (int InUse, int Pending) FragmentState(int pfn)
        {
            lock (_lock) return _pages.TryGetValue(pfn, out var p) ? (p.InUse, p.Pending) : (0, 0);
        }

        /// <summary>Entries of <paramref name="table"/> start at this word of its frame.</summary>
        public int FirstWord(TableRef table) => table.Fragment * _geometry.Entries(0);

        private string? LiveFragments(int pfn)
        {
            // Called under the memory lock; only reads this allocator's own state.
            lock (_lock)
            {
                if (!_pages.TryGetValue(pfn, out var page) || (page.InUse | page.Pending) == 0) return null;
                return $"fragments {page.InUse:x} are tables and {page.Pending:x} wait for a grace period";
            }
        }

        private void BumpGeneration(int pfn, int fragment)
        {
            var i = GenerationIndex(pfn, fragment);
            _generation[i] = unchecked((byte)(_generation[i] + 1));
        }

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
