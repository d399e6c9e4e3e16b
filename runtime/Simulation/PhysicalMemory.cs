using System;
using System.Collections.Generic;

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
        /// <summary>References (<c>page_ref_count</c>).</summary>
        public int RefCount;
        /// <summary>Mappings in page tables (<c>page_mapcount</c>).</summary>
        public int MapCount;
        /// <summary>Bumped on every free, so a stale pointer can tell the frame was reused.</summary>
        public int Incarnation;
        /// <summary>Compound order: the head of a 2^Order-page huge page; -1 on its tails.</summary>
        public int Order;
    }

    /// <summary>
    /// Page frames with a LIFO allocator (a freed frame is the next one handed out, so use-after-free shows at once),
    /// refcounts, poisoning on free and fault injection.
    /// </summary>
    public sealed class PhysicalMemory
    {
        private readonly PageFrame[] _frames;
        private readonly ulong[]?[] _tables;
        private readonly Stack<int> _free = new();
        private readonly int[] _failNext = new int[5];
        private readonly object _lock = new();
        private readonly EventTrace _trace;
        private readonly ViolationLog _violations;

        /// <summary>Memory of <paramref name="frames"/> frames of <paramref name="pageSize"/> bytes.</summary>
        public PhysicalMemory(int frames, int pageSize, EventTrace trace, ViolationLog violations)
        {
            if (frames < 1) throw new ArgumentOutOfRangeException(nameof(frames), frames, "need at least one frame");
            if (pageSize < 4096 || (pageSize & (pageSize - 1)) != 0)
                throw new ArgumentOutOfRangeException(nameof(pageSize), pageSize, "page size must be a power of two of at least 4096");
            PageSize = pageSize;
            _frames = new PageFrame[frames];
            _tables = new ulong[]?[frames];
            _trace = trace;
            _violations = violations;
            for (var pfn = frames - 1; pfn >= 1; pfn--) _free.Push(pfn); // pfn 0 is never handed out: 0 means "none"
        }

        /// <summary>Bytes in a frame.</summary>
        public int PageSize { get; }

        /// <summary>Frames in all, including the reserved frame 0.</summary>
        public int FrameCount => _frames.Length;

        /// <summary>Frames on the free list.</summary>
        public int FreeCount
        {
            get { lock (_lock) return _free.Count; }
        }

        /// <summary>The state of frame <paramref name="pfn"/>.</summary>
        public ref PageFrame this[int pfn] => ref _frames[CheckPfn(pfn)];

        /// <summary>Makes the next <paramref name="count"/> allocations for <paramref name="use"/> fail.</summary>
        public void FailNext(FrameUse use, int count)
        {
            if (use == FrameUse.Free) throw new ArgumentException("cannot inject failures into frees", nameof(use));
            if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), count, "must not be negative");
            lock (_lock) _failNext[(int)use] = count;
        }

        /// <summary>
        /// Allocates one frame for <paramref name="use"/> with a reference count of one, or returns 0 when memory is
        /// exhausted or a failure was injected (<c>__get_free_page(GFP_NOWAIT)</c> returning NULL).
        /// </summary>
        public int TryAllocate(FrameUse use, int cpu = 0)
        {
            if (use == FrameUse.Free) throw new ArgumentException("cannot allocate a free frame", nameof(use));
            int pfn;
            lock (_lock)
            {
                if (_failNext[(int)use] > 0 || _free.Count == 0)
                {
                    if (_failNext[(int)use] > 0) _failNext[(int)use]--;
                    pfn = 0;
                }
                else
                {
                    pfn = _free.Pop();
                    ref var f = ref _frames[pfn];
                    f.Use = use;
                    f.RefCount = 1;
                    f.MapCount = 0;
                    f.Order = 0;
                }
            }
            if (pfn == 0) _trace.Record(EventKind.AllocationFailed, cpu, (ulong)use);
            return pfn;
        }

        /// <summary>Takes a reference (<c>get_page</c>).</summary>
        public void Get(int pfn)
        {
            lock (_lock) _frames[CheckPfn(pfn)].RefCount++;
        }

        /// <summary>
        /// Speculatively takes a reference only if the frame is live (<c>try_get_folio</c>): false when its count is 0.
        /// </summary>
        public bool TryGet(int pfn)
        {
            lock (_lock)
            {
                ref var f = ref _frames[CheckPfn(pfn)];
                if (f.RefCount <= 0 || f.Use == FrameUse.Free) return false;
                f.RefCount++;
                return true;
            }
        }

        /// <summary>Drops a reference and frees the frame when it was the last (<c>put_page</c>).</summary>
        public void Put(int pfn, int cpu = 0)
        {
            bool last;
            lock (_lock)
            {
                ref var f = ref _frames[CheckPfn(pfn)];
                if (f.Use == FrameUse.Free || f.RefCount <= 0)
                {
                    last = false;
                }
                else
                {
                    last = --f.RefCount == 0;
                    if (!last) return;
                }
            }
            Free(pfn, cpu);
        }

        /// <summary>
        /// Returns a frame to the allocator: poisons its contents and bumps its incarnation. A double free, or a free of a
        /// frame still mapped, is recorded as a violation and leaves the frame as it was.
        /// </summary>
        public void Free(int pfn, int cpu = 0)
        {
            FrameUse use;
            string? problem = null;
            var kind = ViolationKind.DoubleFree;
            lock (_lock)
            {
                ref var f = ref _frames[CheckPfn(pfn)];
                use = f.Use;
                if (use == FrameUse.Free)
                {
                    problem = $"frame {pfn} freed twice";
                }
                else if (f.MapCount > 0 || f.RefCount > 1)
                {
                    kind = ViolationKind.FreeWhileReferenced;
                    problem = $"frame {pfn} freed with refcount {f.RefCount}, mapcount {f.MapCount}";
                }
                else
                {
                    f.Use = FrameUse.Free;
                    f.RefCount = 0;
                    f.Incarnation++;
                    var words = _tables[pfn];
                    if (words != null) Array.Fill(words, PoisonWord);
                    _free.Push(pfn);
                }
            }
            if (problem != null)
            {
                _violations.Report(kind, cpu, problem);
                return;
            }
            _trace.Record(use == FrameUse.PageTable ? EventKind.TableFreed : EventKind.PageFreed, cpu, (ulong)pfn);
        }

        /// <summary>The value a freed page-table word is poisoned with: never a present entry.</summary>
        public const ulong PoisonWord = 0xDEAD_BEEF_DEAD_BEE0UL;

        /// <summary>The words of a page-table frame, created on first use.</summary>
        public ulong[] TableWords(int pfn)
        {
            var words = _tables[CheckPfn(pfn)];
            if (words != null) return words;
            lock (_lock) return _tables[pfn] ??= new ulong[PageSize / 8];
        }

        /// <summary>Frames not on the free list.</summary>
        public int InUse => FrameCount - 1 - FreeCount;

        private int CheckPfn(int pfn)
        {
            if ((uint)pfn >= (uint)_frames.Length || pfn == 0)
                throw new ArgumentOutOfRangeException(nameof(pfn), pfn, $"no such frame (1..{_frames.Length - 1})");
            return pfn;
        }
    }
}
