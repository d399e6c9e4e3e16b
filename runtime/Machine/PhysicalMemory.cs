using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Threading;

namespace Shootdown.Simulation
{
    /// <summary>What a frame is used for; also the kind of allocation a fault can be injected into.</summary>
    public enum FrameUse : byte
    {
        /// <summary>On the free list.</summary>
        Free,
        /// <summary>A user data page.</summary>
        Data,
        /// <summary>A page-table page (possibly holding several fragments).</summary>
        PageTable,
        /// <summary>A page-batch page of a gather (<c>mmu_gather_batch</c>).</summary>
        GatherBatch,
        /// <summary>A table-batch page (<c>mmu_table_batch</c>).</summary>
        TableBatch,
    }

    /// <summary>The state of one physical page frame (<c>struct page</c>).</summary>
    public struct PageFrame
    {
        /// <summary>What the frame holds.</summary>
        public FrameUse Use;
        /// <summary>References (<c>page_ref_count</c>); kept on the head of a compound page.</summary>
        /// <remarks>
        /// Held as two counts: references taken (raised atomically, by <c>get_page</c> and the lockless
        /// <c>try_get_folio</c>) less references put (changed only under the allocator lock, which every put holds).
        /// A put that leaves references is then a plain store; only the put to zero needs an atomic, to fence off a
        /// racing speculative reference (<c>put_page_testzero</c>).
        /// </remarks>
        public readonly int RefCount => Taken - Put;

        // Raised outside the allocator lock only by atomic increments; set to 0 by the put to zero (a compare-and-swap,
        // so a speculative reference either lands first or fails) and reset under the lock on allocation.
        internal int Taken;

        // Written only under the allocator lock.
        internal int Put;
        /// <summary>Mappings in page tables (<c>page_mapcount</c>); kept on the head of a compound page.</summary>
        public int MapCount;
        /// <summary>Bumped on every free, so a stale pointer can tell the frame was reused.</summary>
        public int Incarnation;
        /// <summary>Compound order: the head of a 2^Order-page huge page; -1 on its tails.</summary>
        public int Order;
        /// <summary>On a tail, the head's frame number.</summary>
        public int Head;
    }

    /// <summary>
    /// Page frames with a LIFO allocator (a freed frame is the next one handed out, so use-after-free shows at once),
    /// compound pages, refcounts and mapcounts, poisoning and an incarnation bump on free, and fault injection.
    /// Frames are numbered 1..<see cref="FrameCount"/>-1 (0 means "none"). With high memory, the upper half of the frames
    /// sits at 4 GiB and up, so entries pointing there use the high word of a 64-bit PTE; the free list alternates
    /// between the two halves so ordinary runs use both.
    /// </summary>
    public sealed class PhysicalMemory
    {
        /// <summary>Where high memory starts.</summary>
        public const ulong HighBase = 1UL << 32;

        private readonly PageFrame[] _frames;
        private readonly ulong[]?[] _tables;
        private readonly int[] _next;
        private readonly int[] _prev;
        private int _head;
        private int _freeCount;
        private readonly int _highFirst;
        private readonly int _shift;
        private readonly int _tableEntries;
        private readonly int[] _failNext = new int[5];
        private readonly Lock _lock = new();
        private readonly EventTrace _trace;
        private readonly ViolationLog _violations;

        /// <summary>
        /// Memory of <paramref name="frames"/> frames of <paramref name="pageSize"/> bytes; with
        /// <paramref name="highMemory"/> the upper half lies above 4 GiB. Page-table frames hold
        /// <paramref name="pageSize"/>/<paramref name="pteBytes"/> entries, or <paramref name="tableWords"/> when that is not 0
        /// (the first frame of a table that spans several).
        /// </summary>
        public PhysicalMemory(int frames, int pageSize, EventTrace trace, ViolationLog violations, bool highMemory = false, int pteBytes = 8, int tableWords = 0)
        {
            if (frames < 2) throw new ArgumentOutOfRangeException(nameof(frames), frames, "need at least two frames (frame 0 is never handed out)");
            if (frames > 1 << 24) throw new ArgumentOutOfRangeException(nameof(frames), frames, "at most 2^24 frames");
            if (pageSize < 4096 || (pageSize & (pageSize - 1)) != 0)
                throw new ArgumentOutOfRangeException(nameof(pageSize), pageSize, "page size must be a power of two of at least 4096");
            if (pteBytes is not (4 or 8)) throw new ArgumentOutOfRangeException(nameof(pteBytes), pteBytes, "a PTE is 4 or 8 bytes");
            if (tableWords != 0 && (tableWords < pageSize / pteBytes || tableWords > 16 * pageSize / pteBytes))
                throw new ArgumentOutOfRangeException(nameof(tableWords), tableWords, "a table frame holds one to sixteen pages of entries");
            _trace = trace ?? throw new ArgumentNullException(nameof(trace));
            _violations = violations ?? throw new ArgumentNullException(nameof(violations));
            PageSize = pageSize;
            _shift = GatherGeometry.Log2(pageSize);
            _tableEntries = tableWords != 0 ? tableWords : pageSize / pteBytes;
            _frames = new PageFrame[frames];
            _tables = new ulong[]?[frames];
            _next = new int[frames];
            _prev = new int[frames];
            _highFirst = highMemory && frames >= 4 ? frames / 2 : frames;
            // Push in reverse of the wanted pop order: 1, high, 2, high+1, ...
            var order = new List<int>();
            for (int low = 1, high = _highFirst; low < _highFirst || high < frames; low++, high++)
            {
                if (low < _highFirst) order.Add(low);
                if (high < frames) order.Add(high);
            }
            for (var i = order.Count - 1; i >= 0; i--) Push(order[i]);
        }

        /// <summary>Bytes in a frame.</summary>
        public int PageSize { get; }

        /// <summary>Frames in all, including the reserved frame 0.</summary>
        public int FrameCount => _frames.Length;

        // For probes that settle a frame's place once (PageTableAllocator.Probe); the array is never replaced.
        internal PageFrame[] Frames => _frames;

        /// <summary>True when part of memory lies above 4 GiB.</summary>
        public bool HasHighMemory => _highFirst < _frames.Length;

        /// <summary>The first frame of high memory (<see cref="FrameCount"/> when there is none).</summary>
        public int FirstHighFrame => _highFirst;

        /// <summary>
        /// Where device memory starts: the first 1 GiB boundary above all RAM. Nothing there has a <c>struct page</c>
        /// (<see cref="FrameAt"/> gives 0), so a <c>VM_PFNMAP</c> mapping of it is never refcounted or freed.
        /// </summary>
        public ulong DeviceBase
        {
            get
            {
                var top = HasHighMemory ? HighBase + ((ulong)(_frames.Length - _highFirst) << _shift) : (ulong)_frames.Length << _shift;
                const ulong gib = 1UL << 30;
                return (top + gib - 1) & ~(gib - 1);
            }
        }

        /// <summary>Where violations found by this memory (and its page-table allocator) go.</summary>
        public ViolationLog Violations => _violations;

        /// <summary>
        /// Set by the page-table allocator: describes a live table still on a page-table frame (a fragment in use or
        /// pending), or null. Freeing such a frame as a whole page is freeing a live table.
        /// </summary>
        internal Func<int, string?>? LiveTablesOn { get; set; }

        /// <summary>
        /// True on a machine that loads a PTE in two halves, the only kind whose loads can be torn: elsewhere
        /// <see cref="TryGet"/> need not look for a torn load (a thread-local read) at all.
        /// </summary>
        internal bool TracksTornLoads { get; set; }

        /// <summary>Scheduling points of the machine this memory belongs to (none for standalone memory).</summary>
        public Scheduling? Points { get; internal set; }

        /// <summary>Frames on the free list.</summary>
        public int FreeCount
        {
            get { lock (_lock) return _freeCount; }
        }

        /// <summary>Frames not on the free list.</summary>
        public int InUse => FrameCount - 1 - FreeCount;

        /// <summary>The state of frame <paramref name="pfn"/>.</summary>
        public ref PageFrame this[int pfn] => ref _frames[CheckPfn(pfn)];

        /// <summary>The physical address of frame <paramref name="pfn"/>.</summary>
        public ulong PhysicalAddress(int pfn)
        {
            CheckPfn(pfn);
            return pfn < _highFirst ? (ulong)pfn << _shift : HighBase + ((ulong)(pfn - _highFirst) << _shift);
        }

        /// <summary>The frame holding <paramref name="physical"/>, or 0 when no memory is there.</summary>
        public int FrameAt(ulong physical)
        {
            ulong index;
            if (physical >= HighBase && HasHighMemory)
            {
                index = (ulong)_highFirst + ((physical - HighBase) >> _shift);
                return index < (ulong)_frames.Length ? (int)index : 0;
            }
            index = physical >> _shift;
            return index < (ulong)_highFirst ? (int)index : 0;
        }

        /// <summary>Makes the next <paramref name="count"/> allocations for <paramref name="use"/> fail.</summary>
        public void FailNext(FrameUse use, int count)
        {
            if (use == FrameUse.Free || (int)use >= _failNext.Length) throw new ArgumentException($"cannot inject failures into {use}", nameof(use));
            if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), count, "must not be negative");
            lock (_lock) _failNext[(int)use] = count;
        }

        /// <summary>
        /// Allocates one frame for <paramref name="use"/> with a reference count of one, or returns 0 when memory is
        /// exhausted or a failure was injected (<c>__get_free_page(GFP_NOWAIT)</c> returning NULL).
        /// </summary>
        public int TryAllocate(FrameUse use, int cpu = 0) => TryAllocateCompound(use, 0, cpu);

        /// <summary>
        /// Allocates 2^<paramref name="order"/> physically contiguous, naturally aligned frames as one compound page
        /// (<c>alloc_pages(order)</c>, a THP or hugetlb folio) and returns its head, or 0.
        /// </summary>
        public int TryAllocateCompound(FrameUse use, int order, int cpu = 0)
        {
            if (use == FrameUse.Free || (int)use >= _failNext.Length) throw new ArgumentException($"cannot allocate a frame for {use}", nameof(use));
            if (order < 0 || order > 20) throw new ArgumentOutOfRangeException(nameof(order), order, "order 0 to 20");
            Points?.Point(StepKind.RefCount);
            int head;
            lock (_lock)
            {
                if (_failNext[(int)use] > 0)
                {
                    _failNext[(int)use]--;
                    head = 0;
                }
                else
                {
                    head = order == 0 ? _head : FindRun(1 << order);
                    if (head != 0)
                    {
                        for (var i = 0; i < 1 << order; i++)
                        {
                            Unlink(head + i);
                            ref var f = ref _frames[head + i];
                            f.Use = use;
                            f.Put = 0;
                            f.Taken = i == 0 ? 1 : 0;
                            f.MapCount = 0;
                            f.Order = i == 0 ? order : -1;
                            f.Head = head;
                        }
                    }
                }
            }
            if (head == 0) _trace.Record(EventKind.AllocationFailed, cpu, (ulong)use, (ulong)order);
            return head;
        }

        private int FindRun(int count)
        {
            var alignMask = (ulong)count - 1;
            for (var start = 1; start + count <= _frames.Length; start++)
            {
                if (((PhysicalAddress(start) >> _shift) & alignMask) != 0) continue;
                if (start < _highFirst && start + count > _highFirst) continue;
                var ok = true;
                for (var i = 0; i < count && ok; i++) ok = _frames[start + i].Use == FrameUse.Free && IsLinked(start + i);
                if (ok) return start;
            }
            return 0;
        }

        /// <summary>Takes a reference (<c>get_page</c>); on a free frame that is a use after free.</summary>
        public void Get(int pfn, int cpu = 0)
        {
            CheckPfn(pfn);
            Points?.Point(StepKind.RefCount);
            string? problem = null;
            lock (_lock)
            {
                ref var f = ref _frames[HeadOf(pfn)];
                if (f.Use == FrameUse.Free) problem = $"get_page on frame {pfn}, which is free";
                else if (f.RefCount <= 0) problem = $"get_page on frame {pfn}, whose last reference was just put";
                else Interlocked.Increment(ref f.Taken);
            }
            if (problem != null) _violations.Report(ViolationKind.UseAfterFree, cpu, problem);
        }

        /// <summary>
        /// Speculatively takes a reference only if the frame is live (<c>try_get_folio</c>): false when its count is 0.
        /// </summary>
        public bool TryGet(int pfn)
        {
            CheckPfn(pfn);
            Points?.Point(StepKind.RefCount);
            var torn = TracksTornLoads ? _lastTornLoad : null;
            // folio_try_get: an atomic increment unless the count is 0, without the allocator lock, as in Linux. Puts
            // read first: a put since only makes the count look higher than it is, and no higher than 0 once the put to
            // zero has cleared Taken, which also fails the compare-and-swap of an increment read before it. So a count
            // that reached 0 (a page on its way to the free list) is never revived.
            ref var f = ref _frames[HeadOf(pfn)];
            while (true)
            {
                var put = Volatile.Read(ref f.Put);
                var taken = Volatile.Read(ref f.Taken);
                if (taken - put <= 0 || f.Use == FrameUse.Free) return false;
                if (Interlocked.CompareExchange(ref f.Taken, taken + 1, taken) == taken) break;
            }
            if (torn is null || torn.Memory != this || torn.Frame <= 0 || HeadOf(torn.Frame) != HeadOf(pfn)) return true;
            _lastTornLoad = null;
            _violations.Report(ViolationKind.TornPte, torn.Cpu, torn.Detail);
            return true;
        }

        /// <summary>
        /// Remembers, for the calling thread (one simulated CPU), that its last PTE load was assembled from two different
        /// values naming <paramref name="frame"/> (<paramref name="detail"/> says how), or forgets it when
        /// <paramref name="detail"/> is null. <see cref="TryGet"/> on that frame is then accepting a torn PTE.
        /// </summary>
        internal void NoteTornLoad(int frame, int cpu, string? detail) =>
            _lastTornLoad = detail is null ? null : new TornLoad(this, frame, cpu, detail);

        private sealed record TornLoad(PhysicalMemory Memory, int Frame, int Cpu, string Detail);

        [ThreadStatic] private static TornLoad? _lastTornLoad;

        /// <summary>Drops a reference and frees the (compound) page when it was the last (<c>put_page</c>).</summary>
        public void Put(int pfn, int cpu = 0) => PutPages(new ReadOnlySpan<int>(in pfn), cpu);

        /// <summary>
        /// Drops one reference on each page of <paramref name="pfns"/>, in order, freeing those that lose their last one
        /// (<c>free_pages_and_swap_cache</c>, <c>folios_put_refs</c>): one scheduling point and one allocator lock for the
        /// batch, as Linux takes the zone lock once per batch.
        /// </summary>
        public void PutPages(ReadOnlySpan<int> pfns, int cpu = 0)
        {
            foreach (var pfn in pfns) CheckPfn(pfn);
            if (pfns.IsEmpty) return;
            Points?.Point(StepKind.RefCount);
            var frames = _frames;
            lock (_lock)
            {
                foreach (var pfn in pfns)
                {
                    ref var f = ref frames[HeadOf(pfn)];
                    var put = f.Put;
                    // Under the lock only increments race with a put, so a count above 1 stays above 0 after it: the put
                    // is a plain store. (A free frame counts 0, so it never gets here.)
                    if (Volatile.Read(ref f.Taken) - put > 1) Volatile.Write(ref f.Put, put + 1);
                    else PutToZeroLocked(pfn, cpu);
                }
            }
        }

        // put_page_testzero and the free: the count reaches 0 now, so a racing try_get_folio fails from here on; if one
        // got in first, the count is above 1 again and this is an ordinary put.
        private void PutToZeroLocked(int pfn, int cpu)
        {
            var head = HeadOf(pfn);
            ref var f = ref _frames[head];
            while (f.Use != FrameUse.Free)
            {
                var put = f.Put;
                var taken = Volatile.Read(ref f.Taken);
                if (taken - put > 1)
                {
                    Volatile.Write(ref f.Put, put + 1);
                    return;
                }
                if (taken - put < 1) break;
                if (Interlocked.CompareExchange(ref f.Taken, 0, taken) == taken)
                {
                    f.Put = 0;
                    break;
                }
            }
            FreeFrameLocked(head, cpu, viaPut: true);
        }

        /// <summary>
        /// Adds a mapping of the (compound) page holding <paramref name="pfn"/> (<c>folio_add_*_rmap</c>): an atomic
        /// increment of the mapcount, without the allocator lock, as Linux changes <c>_mapcount</c>.
        /// </summary>
        public void AddMap(int pfn)
        {
            CheckPfn(pfn);
            Interlocked.Increment(ref _frames[HeadOf(pfn)].MapCount);
        }

        /// <summary>
        /// Drops a mapping (<c>folio_remove_rmap_pte</c>), atomically and without the allocator lock; below zero is
        /// recorded as a violation and leaves the count at zero.
        /// </summary>
        public void RemoveMap(int pfn, int cpu = 0)
        {
            CheckPfn(pfn);
            ref var count = ref _frames[HeadOf(pfn)].MapCount;
            while (true)
            {
                var seen = Volatile.Read(ref count);
                if (seen <= 0)
                {
                    _violations.Report(ViolationKind.FreeWhileReferenced, cpu, $"frame {pfn} unmapped more often than mapped");
                    return;
                }
                if (Interlocked.CompareExchange(ref count, seen - 1, seen) == seen) return;
            }
        }

        /// <summary>
        /// Returns a (compound) page to the allocator: poisons its contents and bumps its incarnation. A double free, a
        /// free of a compound tail, or a free of a frame still mapped or referenced by others is recorded as a violation
        /// and leaves the frame as it was.
        /// </summary>
        public void Free(int pfn, int cpu = 0)
        {
            CheckPfn(pfn);
            Points?.Point(StepKind.RefCount);
            lock (_lock) FreeFrameLocked(pfn, cpu, viaPut: false);
        }

        private void FreeFrameLocked(int pfn, int cpu, bool viaPut)
        {
            FrameUse use;
            string? problem = null;
            var kind = ViolationKind.DoubleFree;
            var order = 0;
            ref var f = ref _frames[pfn];
            use = f.Use;
            if (use == FrameUse.Free)
            {
                problem = viaPut ? $"put_page on frame {pfn}, which is already free" : $"frame {pfn} freed twice";
            }
            else if (f.Order < 0)
            {
                kind = ViolationKind.InvalidFree;
                problem = $"frame {pfn} is a tail of compound page {f.Head}; free the head";
            }
            else if (use == FrameUse.PageTable && LiveTablesOn?.Invoke(pfn) is string live)
            {
                kind = ViolationKind.FreeWhileReferenced;
                problem = $"page-table page {pfn} freed as a whole while {live}";
                if (viaPut && f.RefCount == 0) f.Taken = 1; // left as it was: undo the put that reached zero
            }
            else if (f.MapCount > 0 || (viaPut ? f.RefCount > 1 : !DropLastReference(ref f)))
            {
                kind = ViolationKind.FreeWhileReferenced;
                problem = $"frame {pfn} freed with refcount {f.RefCount}, mapcount {f.MapCount}";
                if (viaPut && f.RefCount == 0) f.Taken = 1;
            }
            else
            {
                order = f.Order;
                for (var i = 1; i < 1 << order; i++)
                {
                    if (pfn + i >= _frames.Length || _frames[pfn + i].Order >= 0 || _frames[pfn + i].Head != pfn)
                    {
                        // The frame claims an order it was not allocated with (set by hand): free only the frame itself.
                        _violations.Report(ViolationKind.InvalidFree, cpu, $"frame {pfn} claims order {order} but was not allocated as a compound page");
                        order = 0;
                        break;
                    }
                }
                for (var i = (1 << order) - 1; i >= 0; i--)
                {
                    ref var part = ref _frames[pfn + i];
                    part.Use = FrameUse.Free;
                    part.Taken = 0;
                    part.Put = 0;
                    part.MapCount = 0;
                    part.Order = 0;
                    part.Head = 0;
                    part.Incarnation++;
                    var words = _tables[pfn + i];
                    if (words != null) Array.Fill(words, PoisonWord);
                    Push(pfn + i);
                }
            }
            if (problem != null)
            {
                _violations.Report(kind, cpu, problem);
                return;
            }
            _trace.Record(use == FrameUse.PageTable ? EventKind.TableFreed : EventKind.PageFreed, cpu, (ulong)pfn, (ulong)order);
        }

        /// <summary>The value a freed page-table word is poisoned with: never a present entry.</summary>
        public const ulong PoisonWord = 0xDEAD_BEEF_DEAD_BEE0UL;

        /// <summary>The entries of a page-table frame, created on first use.</summary>
        public ulong[] TableWords(int pfn)
        {
            var words = _tables[CheckPfn(pfn)];
            if (words != null) return words;
            lock (_lock) return _tables[pfn] ??= new ulong[_tableEntries];
        }

        /// <summary>Frames in use, by what they hold (every frame but frame 0 is in exactly one class, free included).</summary>
        public IReadOnlyDictionary<FrameUse, int> CountByUse()
        {
            var counts = new Dictionary<FrameUse, int>();
            foreach (FrameUse use in Enum.GetValues(typeof(FrameUse))) counts[use] = 0;
            lock (_lock)
            {
                for (var pfn = 1; pfn < _frames.Length; pfn++) counts[_frames[pfn].Use]++;
            }
            return counts;
        }

        /// <summary>Frames not free (compound tails included), ascending.</summary>
        public IReadOnlyList<int> FramesInUse()
        {
            var used = new List<int>();
            lock (_lock)
            {
                for (var pfn = 1; pfn < _frames.Length; pfn++)
                {
                    if (_frames[pfn].Use != FrameUse.Free) used.Add(pfn);
                }
            }
            return used;
        }

        /// <summary>
        /// Checks the free list against the frame states: every frame is on the free list exactly when it is free.
        /// Returns a description of the first inconsistency, or null.
        /// </summary>
        public string? CheckFreeList()
        {
            lock (_lock)
            {
                var seen = 0;
                for (var pfn = _head; pfn != 0; pfn = _next[pfn])
                {
                    if (_frames[pfn].Use != FrameUse.Free) return $"frame {pfn} is on the free list but holds {_frames[pfn].Use}";
                    if (++seen > _frames.Length) return "the free list has a cycle";
                }
                if (seen != _freeCount) return $"the free list holds {seen} frames but counts {_freeCount}";
                var free = 0;
                for (var pfn = 1; pfn < _frames.Length; pfn++)
                {
                    if (_frames[pfn].Use == FrameUse.Free) free++;
                }
                return free == seen ? null : $"{free} frames are free but {seen} are on the free list";
            }
        }

        // A direct free takes the count from at most 1 to 0 in one step, so a speculative try_get_folio either came first
        // (and the free is refused as referenced) or fails.
        private static bool DropLastReference(ref PageFrame f)
        {
            var put = f.Put;
            var taken = Volatile.Read(ref f.Taken);
            while (taken - put <= 1)
            {
                var seen = Interlocked.CompareExchange(ref f.Taken, 0, taken);
                if (seen == taken)
                {
                    f.Put = 0;
                    return true;
                }
                taken = seen;
            }
            return false;
        }

        private int HeadOf(int pfn) => _frames[pfn].Order < 0 ? _frames[pfn].Head : pfn;

        private bool IsLinked(int pfn) => _head == pfn || _prev[pfn] != 0;

        private void Push(int pfn)
        {
            _prev[pfn] = 0;
            _next[pfn] = _head;
            if (_head != 0) _prev[_head] = pfn;
            _head = pfn;
            _freeCount++;
        }

        private void Unlink(int pfn)
        {
            var prev = _prev[pfn];
            var next = _next[pfn];
            if (prev != 0) _next[prev] = next;
            else _head = next;
            if (next != 0) _prev[next] = prev;
            _prev[pfn] = 0;
            _next[pfn] = 0;
            _freeCount--;
        }

        internal int CheckPfn(int pfn)
        {
            if ((uint)pfn >= (uint)_frames.Length || pfn == 0) ThrowNoSuchFrame(pfn);
            return pfn;
        }

        // Out of line so that CheckPfn, on every frame access, stays small enough to inline.
        [DoesNotReturn]
        private void ThrowNoSuchFrame(int pfn) =>
            throw new ArgumentOutOfRangeException(nameof(pfn), pfn, $"no such frame (1..{_frames.Length - 1})");
    }
}
