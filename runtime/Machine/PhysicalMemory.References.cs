using System;
using System.Threading;

namespace Shootdown.Simulation
{
    // References and mappings: get_page, try_get_folio, put_page, the free and its poisoning.
    public sealed partial class PhysicalMemory
    {
        /// <summary>Takes a reference (<c>get_page</c>); on a free frame that is a use after free.</summary>
        public void Get(int pfn, int cpu = 0)
        {
            CheckPfn(pfn);
            Points?.Point(StepKind.RefCount);
            Points?.Touch(SharedObject.Frame(HeadOf(pfn)), true);
            string? problem = null;
            lock (_lock)
            {
                ref var f = ref _frames[HeadOf(pfn)];
                if (f.Use == FrameUse.Free) problem = $"get_page on frame {pfn}, which is free";
                else if (f.RefCount <= 0) problem = $"get_page on frame {pfn}, whose last reference was just put";
                else Interlocked.Increment(ref f.Taken);
            }
            if (problem != null) _violations.Report(ViolationKind.UseAfterFree, cpu, problem);
            else Gup?.Referenced(HeadOf(pfn));
        }

        /// <summary>
        /// Speculatively takes a reference only if the frame is live (<c>try_get_folio</c>): false when its count is 0.
        /// </summary>
        public bool TryGet(int pfn)
        {
            CheckPfn(pfn);
            Points?.Point(StepKind.RefCount);
            Points?.Touch(SharedObject.Frame(HeadOf(pfn)), true);
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
            Gup?.Referenced(HeadOf(pfn));
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
                    Points?.Touch(SharedObject.Frame(HeadOf(pfn)), true);
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
        /// The references and mappings of the (compound) page holding <paramref name="pfn"/>, read as a step of the
        /// caller (<c>folio_ref_count</c>, <c>folio_mapcount</c>): what <c>__collapse_huge_page_isolate</c> compares.
        /// </summary>
        public (int References, int Mappings) Counts(int pfn)
        {
            CheckPfn(pfn);
            var head = HeadOf(pfn);
            Points?.Touch(SharedObject.Frame(head), false);
            return (Volatile.Read(ref _frames[head].Taken) - Volatile.Read(ref _frames[head].Put), Volatile.Read(ref _frames[head].MapCount));
        }

        /// <summary>
        /// Adds a mapping of the (compound) page holding <paramref name="pfn"/> (<c>folio_add_*_rmap</c>): an atomic
        /// increment of the mapcount, without the allocator lock, as Linux changes <c>_mapcount</c>.
        /// </summary>
        public void AddMap(int pfn)
        {
            CheckPfn(pfn);
            Points?.Touch(SharedObject.Frame(HeadOf(pfn)), true);
            Interlocked.Increment(ref _frames[HeadOf(pfn)].MapCount);
        }

        /// <summary>
        /// Drops a mapping (<c>folio_remove_rmap_pte</c>), atomically and without the allocator lock; below zero is
        /// recorded as a violation and leaves the count at zero.
        /// </summary>
        public void RemoveMap(int pfn, int cpu = 0)
        {
            CheckPfn(pfn);
            Points?.Touch(SharedObject.Frame(HeadOf(pfn)), true);
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
        public void Free(int pfn, int cpu = 0) => Free(pfn, cpu, recorded: false);

        /// <summary>
        /// <see cref="Free(int, int)"/> for a page-table page whose <see cref="EventKind.TableFreed"/> the table allocator has
        /// already recorded (<see cref="RecordTableFreed"/>) when <paramref name="recorded"/> is true.
        /// </summary>
        internal void Free(int pfn, int cpu, bool recorded)
        {
            CheckPfn(pfn);
            Points?.Point(StepKind.RefCount);
            lock (_lock) FreeFrameLocked(pfn, cpu, viaPut: false, recorded);
        }

        /// <summary>
        /// Records the free of page-table page <paramref name="pfn"/> at the step its table stops being live, which is
        /// scheduling points before its frame reaches the allocator: a walker that reads it in between already breaks the
        /// invariant, so the trace, and every witness drawn from it, must show the free before that read.
        /// </summary>
        internal void RecordTableFreed(int pfn, int cpu) => _trace.Record(EventKind.TableFreed, cpu, (ulong)pfn, (ulong)Math.Max(0, _frames[pfn].Order));

        private void FreeFrameLocked(int pfn, int cpu, bool viaPut, bool recorded = false)
        {
            FrameUse use;
            string? problem = null;
            var kind = ViolationKind.DoubleFree;
            var order = 0;
            Points?.Touch(SharedObject.Frame(pfn), true);
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
                Points?.Touch(SharedObject.Allocator, true);
                for (var i = (1 << order) - 1; i >= 0; i--)
                {
                    Points?.Touch(SharedObject.Frame(pfn + i), true);
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
            if (!recorded) _trace.Record(use == FrameUse.PageTable ? EventKind.TableFreed : EventKind.PageFreed, cpu, (ulong)pfn, (ulong)order);
        }
    }
}
