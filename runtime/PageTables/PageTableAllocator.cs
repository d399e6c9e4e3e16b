using System;
using System.Collections.Generic;
using System.Threading;

namespace Shootdown.Simulation
{
    /// <summary>
    /// Allocates page tables. Tables take whole frames unless their level is fragmented: PTE tables (s390, powerpc
    /// <c>pte_fragment_alloc</c>) and PMD tables (powerpc <c>pmd_fragment_alloc</c>) are carved from a page, up to 256 to
    /// a page, with a per-page set of fragments in use and of fragments whose free is deferred (<c>pte_free_defer</c>).
    /// The page goes back only when no fragment is in use and no deferred free is pending: powerpc's
    /// <c>pt_frag_refcount</c> reaching zero. Unlike powerpc, which never hands a freed fragment out again, a freed
    /// fragment is reused (as s390's 2 KiB halves were), which gives stale pointers more to hit. Every table carries a
    /// stamp (the frame's incarnation and the fragment's generation) so a pointer to a table that was freed, or freed and
    /// handed out again, is told apart.
    /// </summary>
    public sealed class PageTableAllocator
    {
        private const int GenerationBits = 8;
        private readonly PhysicalMemory _memory;
        private readonly PageTableGeometry _geometry;
        private readonly Dictionary<int, FragmentPage> _pages = new();
        private readonly byte[] _generation;
        private readonly int[] _fragmentBytes; // per frame: the size of its fragments (0 for a frame that is not carved)
        private readonly int _slots;           // fragment slots per frame in _generation
        private readonly Lock _lock = new();

        private sealed class FragmentPage(int level, int fragments)
        {
            public readonly int Level = level;
            public readonly FragmentSet InUse = new(fragments);
            public readonly FragmentSet Pending = new(fragments); // fragments whose free waits for a grace period
            public bool IsEmpty => InUse.IsEmpty && Pending.IsEmpty;
        }

        /// <summary>An allocator over <paramref name="memory"/> for tables shaped by <paramref name="geometry"/>.</summary>
        public PageTableAllocator(PhysicalMemory memory, PageTableGeometry geometry)
        {
            _memory = memory ?? throw new ArgumentNullException(nameof(memory));
            _geometry = geometry ?? throw new ArgumentNullException(nameof(geometry));
            _slots = geometry.MaxFragments;
            _generation = new byte[memory.FrameCount * _slots];
            _fragmentBytes = new int[memory.FrameCount];
            if (geometry.HasFragments) memory.LiveTablesOn = LiveFragments;
        }

        /// <summary>Allocates a zeroed table for <paramref name="level"/>, or <see cref="TableRef.None"/> on failure.</summary>
        public TableRef Allocate(int level, int cpu = 0)
        {
            if (level < 0 || level >= _geometry.Levels) throw new ArgumentOutOfRangeException(nameof(level), level, $"no level {level} in {_geometry.Levels}-level tables");
            if (_geometry.Fragments(level) > 1) return AllocateFragment(level, cpu);
            // s390's region and segment tables are several pages (CRST_ALLOC_ORDER): one compound allocation, freed whole.
            var pfn = _memory.TryAllocateCompound(FrameUse.PageTable, GatherGeometry.Log2(_geometry.TableFrames(level)), cpu);
            if (pfn == 0) return TableRef.None;
            Array.Clear(_memory.TableWords(pfn));
            return new TableRef(pfn, 0, Stamp(pfn, 0));
        }

        private TableRef AllocateFragment(int level, int cpu)
        {
            _memory.Points?.Touch(SharedObject.Allocator, true);
            lock (_lock)
            {
                foreach (var pair in _pages)
                {
                    if (pair.Value.Level != level) continue;
                    var fragment = FragmentSet.FirstFreeOfBoth(pair.Value.InUse, pair.Value.Pending);
                    if (fragment < 0) continue;
                    _memory.Points?.Touch(SharedObject.Frame(pair.Key), true);
                    pair.Value.InUse.Add(fragment);
                    ClearFragment(pair.Key, fragment, level);
                    return new TableRef(pair.Key, fragment, Stamp(pair.Key, fragment));
                }
            }
            var pfn = _memory.TryAllocate(FrameUse.PageTable, cpu);
            if (pfn == 0) return TableRef.None;
            var page = new FragmentPage(level, _geometry.Fragments(level));
            page.InUse.Add(0);
            _fragmentBytes[pfn] = _geometry.TableBytes(level);
            lock (_lock) _pages[pfn] = page;
            ClearFragment(pfn, 0, level);
            return new TableRef(pfn, 0, Stamp(pfn, 0));
        }

        /// <summary>
        /// Bytes between fragments of <paramref name="pfn"/>: its level's table size on a page of fragments. Only the
        /// offset of fragment 0, that is 0, is asked of a frame that is not carved.
        /// </summary>
        public int FragmentBytes(int pfn) => _fragmentBytes[pfn];

        /// <summary>
        /// The current stamp of fragment <paramref name="fragment"/> of <paramref name="pfn"/>: a pointer carrying another
        /// stamp points at a table that is gone.
        /// </summary>
        public int Stamp(int pfn, int fragment)
        {
            if ((uint)fragment >= (uint)_slots) throw new ArgumentOutOfRangeException(nameof(fragment), fragment, "no such fragment");
            return Compose(_memory[pfn].Incarnation, _generation[GenerationIndex(pfn, fragment)]);
        }

        // Where the generation of fragment `fragment` of page `pfn` is kept.
        private int GenerationIndex(int pfn, int fragment) => pfn * _slots + fragment;

        private static int Compose(int incarnation, byte generation) => (incarnation << GenerationBits) | generation;

        /// <summary>
        /// The liveness check of one table with the places of its stamp settled: a walker that opens a table once asks
        /// it at every load, so the frame and generation it reads are found once, not at each ask.
        /// </summary>
        internal LivenessProbe Probe(TableRef table)
        {
            if (table.IsNone || (uint)table.Fragment >= (uint)_slots) throw new ArgumentOutOfRangeException(nameof(table), table, "no such table");
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
            if (table.IsNone || (uint)table.Pfn >= (uint)_memory.FrameCount || (uint)table.Fragment >= (uint)_slots) return false;
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
            if ((uint)table.Pfn >= (uint)_memory.FrameCount || (uint)table.Fragment >= (uint)_slots)
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
                page.InUse.Remove(table.Fragment);
                page.Pending.Remove(table.Fragment);
                BumpGeneration(table.Pfn, table.Fragment);
                release = page.IsEmpty; // pt_frag_refcount reached zero
                if (release)
                {
                    _pages.Remove(table.Pfn);
                    _fragmentBytes[table.Pfn] = 0;
                }
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
                if (!page.InUse.Contains(table.Fragment))
                    throw new InvalidOperationException($"{table} is not in use: a fragment can be deferred once, while it is a table");
                page.InUse.Remove(table.Fragment);
                page.Pending.Add(table.Fragment);
            }
        }

        /// <summary>True when <paramref name="pfn"/> is a page of PTE fragments.</summary>
        public bool IsFragmentPage(int pfn)
        {
            _memory.Points?.Touch(SharedObject.Allocator, false);
            lock (_lock) return _pages.ContainsKey(pfn);
        }

        /// <summary>How many fragments of <paramref name="pfn"/> are tables and how many wait for a grace period (0, 0 for a page that is not carved).</summary>
        public (int InUse, int Pending) FragmentState(int pfn)
        {
            lock (_lock) return _pages.TryGetValue(pfn, out var p) ? (p.InUse.Count, p.Pending.Count) : (0, 0);
        }

        /// <summary>True when fragment <paramref name="fragment"/> of <paramref name="pfn"/> was deferred and waits for its grace period.</summary>
        public bool IsPending(int pfn, int fragment)
        {
            lock (_lock) return _pages.TryGetValue(pfn, out var p) && p.Pending.Contains(fragment);
        }

        /// <summary>The deferred fragments of <paramref name="pfn"/>, in order.</summary>
        internal List<int> PendingFragments(int pfn)
        {
            lock (_lock) return _pages.TryGetValue(pfn, out var p) ? p.Pending.Members() : new List<int>();
        }

        /// <summary>Entries of <paramref name="table"/>, a table at <paramref name="level"/>, start at this word of its frame.</summary>
        public int FirstWord(TableRef table, int level = 0) => table.Fragment * _geometry.Entries(level);

        private string? LiveFragments(int pfn)
        {
            // Called under the memory lock; only reads this allocator's own state.
            lock (_lock)
            {
                if (!_pages.TryGetValue(pfn, out var page) || page.IsEmpty) return null;
                return $"{_geometry.LevelName(page.Level)} fragments {page.InUse} are tables and {page.Pending} wait for a grace period";
            }
        }

        private void BumpGeneration(int pfn, int fragment)
        {
            var i = GenerationIndex(pfn, fragment);
            _generation[i] = unchecked((byte)(_generation[i] + 1));
        }

        private void ClearFragment(int pfn, int fragment, int level)
        {
            var n = _geometry.Entries(level);
            Array.Clear(_memory.TableWords(pfn), fragment * n, n);
        }
    }
}
