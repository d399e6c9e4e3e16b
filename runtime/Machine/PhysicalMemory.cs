using System;
using System.Collections.Generic;
using System.Threading;

namespace Shootdown.Simulation
{
    /// <summary>
    /// Page frames with a LIFO allocator (a freed frame is the next one handed out, so use-after-free shows at once),
    /// compound pages, refcounts and mapcounts, poisoning and an incarnation bump on free, and fault injection.
    /// Frames are numbered 1..<see cref="FrameCount"/>-1 (0 means "none"). With high memory, the upper half of the frames
    /// sits at 4 GiB and up, so entries pointing there use the high word of a 64-bit PTE; the free list alternates
    /// between the two halves so ordinary runs use both.
    /// </summary>
    public sealed partial class PhysicalMemory
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

        // Every frame's table words (null for a frame never used as a table), for AccessAudit; never replaced either.
        internal ulong[]?[] Tables => _tables;

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

        /// <summary>The GUP audit of the machine this memory belongs to, told of every reference taken (none standalone).</summary>
        internal GupAudit? Gup { get; set; }

        /// <summary>The head of the (compound) page holding <paramref name="pfn"/>.</summary>
        public int HeadFrame(int pfn) => HeadOf(CheckPfn(pfn));

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
            Points?.Touch(SharedObject.Allocator, true);
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
                            Points?.Touch(SharedObject.Frame(head + i), true);
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
    }
}
