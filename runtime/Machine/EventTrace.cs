using System.Collections.Generic;
using System.Text;
using System.Threading;

namespace Shootdown.Simulation
{
    /// <summary>What happened: the significant events of a teardown, named after the Linux step they stand for.</summary>
    public enum EventKind : byte
    {
        /// <summary>A PTE or upper-level entry was cleared (<c>ptep_get_and_clear</c>, <c>pmd_clear</c>).</summary>
        EntryCleared,
        /// <summary>This CPU's TLB dropped a range or an mm (<c>local_flush_tlb_*</c>).</summary>
        LocalFlush,
        /// <summary>An IPI carrying a TLB flush was sent to other CPUs (<c>flush_tlb_others</c>).</summary>
        IpiFlush,
        /// <summary>A hardware-broadcast invalidation (<c>TLBI IS</c>, <c>IPTE</c>, <c>tlbie</c>).</summary>
        BroadcastFlush,
        /// <summary>Page-walk caches were invalidated with the flush (freed tables).</summary>
        WalkCacheFlush,
        /// <summary>An IPI was posted to a CPU.</summary>
        IpiSent,
        /// <summary>A CPU ran an IPI handler.</summary>
        IpiTaken,
        /// <summary><c>call_rcu</c>.</summary>
        RcuQueued,
        /// <summary>An RCU callback ran after its grace period.</summary>
        RcuCallback,
        /// <summary>A data page went back to the allocator.</summary>
        PageFreed,
        /// <summary>A page-table page (or fragment) went back to the allocator.</summary>
        TableFreed,
        /// <summary>A lockless walker read a page-table entry.</summary>
        WalkerRead,
        /// <summary>A gather started (<c>tlb_gather_mmu</c>).</summary>
        GatherStart,
        /// <summary>A gather finished (<c>tlb_finish_mmu</c>).</summary>
        GatherFinish,
        /// <summary>A page went into a gather batch (<c>__tlb_remove_page_size</c>).</summary>
        PageBatched,
        /// <summary>A page table went into the table batch (<c>tlb_remove_table</c>).</summary>
        TableBatched,
        /// <summary>A batch page was allocated for the gather.</summary>
        BatchAllocated,
        /// <summary>A cache flush for a VMA (<c>flush_cache_range</c>).</summary>
        CacheFlush,
        /// <summary>An allocation failed (injected or out of memory).</summary>
        AllocationFailed,
        /// <summary>The invariant was broken.</summary>
        Violation,
    }

    /// <summary>One event; the meaning of <see cref="A"/>, <see cref="B"/> and <see cref="C"/> depends on the kind.</summary>
    public readonly record struct TraceEvent(EventKind Kind, int Cpu, ulong A, ulong B, ulong C)
    {
        /// <inheritdoc/>
        public override string ToString() => $"cpu{Cpu} {Kind} {A:x} {B:x} {C:x}";
    }

    /// <summary>
    /// An optional record of events. Off by default: recording is one predictable branch on a field, no allocation.
    /// </summary>
    public sealed class EventTrace
    {
        private readonly List<TraceEvent> _events = new();
        private readonly Lock _lock = new();

        /// <summary>When false, <see cref="Record"/> returns at once.</summary>
        public bool Enabled { get; set; }

        /// <summary>
        /// Sees every event, recording on or off (an explorer's race-window watch). Code that skips
        /// <see cref="Record"/> while recording is off (the generated fast GUP's PTE read) is not seen.
        /// </summary>
        public System.Action<TraceEvent>? Observer { get; set; }

        /// <summary>Adds <paramref name="see"/> after the observers already watching: several windows may watch one machine.</summary>
        public void Watch(System.Action<TraceEvent> see)
        {
            var previous = Observer;
            Observer = previous is null ? see : e =>
            {
                previous(e);
                see(e);
            };
        }

        /// <summary>Records an event if recording is on.</summary>
        public void Record(EventKind kind, int cpu, ulong a = 0, ulong b = 0, ulong c = 0)
        {
            Observer?.Invoke(new TraceEvent(kind, cpu, a, b, c));
            if (!Enabled) return;
            lock (_lock) _events.Add(new TraceEvent(kind, cpu, a, b, c));
        }

        /// <summary>A copy of the events so far.</summary>
        public IReadOnlyList<TraceEvent> Snapshot()
        {
            lock (_lock) return _events.ToArray();
        }

        /// <summary>How many events of <paramref name="kind"/> were recorded.</summary>
        public int Count(EventKind kind)
        {
            var n = 0;
            lock (_lock)
            {
                foreach (var e in _events)
                {
                    if (e.Kind == kind) n++;
                }
            }
            return n;
        }

        /// <summary>Forgets all events.</summary>
        public void Clear()
        {
            lock (_lock) _events.Clear();
        }

        /// <summary>The events, one a line.</summary>
        public override string ToString()
        {
            var b = new StringBuilder();
            foreach (var e in Snapshot()) b.AppendLine(e.ToString());
            return b.ToString();
        }
    }
}
