using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Threading;

namespace Shootdown.Simulation
{
    // Frame contents and inspection: table words, counts by use, the free list and its consistency check.
    public sealed partial class PhysicalMemory
    {
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
