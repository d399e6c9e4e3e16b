using System.Collections.Generic;

namespace Shootdown.Simulation
{
    /// <summary>
    /// A cached translation: the frame it leads to, the frame's incarnation (its owner generation) when it was cached,
    /// and when it was cached (<paramref name="CachedAt"/>, stamped by the TLB of a machine; 0 on a standalone TLB).
    /// </summary>
    public readonly record struct TlbEntry(int Pfn, int Incarnation, ulong Flags, ulong Size, long CachedAt = 0);

    /// <summary>
    /// One CPU's TLB, tagged by mm. Entries stay until flushed: a translation of a freed page that is still here is
    /// exactly the stale entry the teardown order exists to prevent.
    /// </summary>
    public sealed class Tlb
    {
        private readonly Dictionary<(int Mm, ulong Page), TlbEntry> _entries = new();
        private readonly int _pageShift;

        /// <summary>A TLB for pages of 2^<paramref name="pageShift"/> bytes.</summary>
        public Tlb(int pageShift) => _pageShift = pageShift;

        private SharedHandle _shared;
        private LogicalClock? _clock;

        /// <summary>
        /// The CPU this cache belongs to, for the explorer's dependency relation, and the machine's clock that stamps
        /// what it caches; unset on a standalone cache.
        /// </summary>
        internal void Attach(Scheduling points, int cpu, LogicalClock clock)
        {
            _shared = new SharedHandle(points, SharedObject.Tlb(cpu));
            _clock = clock;
        }

        private void Touch(bool write) => _shared.Touch(write);

        /// <summary>A summary of the contents that changes when they change, for <see cref="AccessAudit"/>.</summary>
        internal long Fingerprint() => CacheFingerprint.Of(_entries);

        /// <summary>Cached translations.</summary>
        public int Count
        {
            get { lock (_entries) return _entries.Count; }
        }

        /// <summary>Caches a translation of the page at <paramref name="address"/>, stamped with the instant it is cached.</summary>
        public void Insert(int mm, ulong address, TlbEntry entry)
        {
            Touch(true);
            if (_clock != null) entry = entry with { CachedAt = _clock.Tick() };
            lock (_entries) _entries[(mm, address >> _pageShift)] = entry;
        }

        /// <summary>
        /// The lowest address of <paramref name="mm"/> in [<paramref name="start"/>, <paramref name="end"/>) whose cached
        /// translation was cached before <paramref name="before"/> and carries every flag of <paramref name="flags"/>
        /// (<see cref="Entry.Write"/>: a writable one), if any: what <see cref="ReturnGuarantee"/> looks for.
        /// </summary>
        internal bool TryFindCachedBefore(int mm, ulong start, ulong end, long before, out ulong address, ulong flags = 0)
        {
            Touch(false);
            address = 0;
            var found = false;
            lock (_entries)
            {
                foreach (var pair in _entries)
                {
                    var at = pair.Key.Page << _pageShift;
                    if (pair.Key.Mm != mm || at < start || at >= end || pair.Value.CachedAt >= before) continue;
                    if ((pair.Value.Flags & flags) != flags) continue;
                    if (!found || at < address) address = at;
                    found = true;
                }
            }
            return found;
        }

        /// <summary>The cached translation of <paramref name="address"/>, if any.</summary>
        public bool TryLookup(int mm, ulong address, out TlbEntry entry)
        {
            Touch(false);
            lock (_entries) return _entries.TryGetValue((mm, address >> _pageShift), out entry);
        }

        /// <summary>Drops translations of <paramref name="mm"/> in [start, end) (<c>local_flush_tlb_range</c>).</summary>
        public void FlushRange(int mm, ulong start, ulong end)
        {
            Touch(true);
            lock (_entries)
            {
                var first = start >> _pageShift;
                var last = (end - 1) >> _pageShift;
                if (last - first < (ulong)_entries.Count)
                {
                    for (var page = first; page <= last; page++) _entries.Remove((mm, page));
                    return;
                }
                RemoveRange(mm, first, last);
            }
        }

        /// <summary>Drops every translation of <paramref name="mm"/> (<c>local_flush_tlb_mm</c>).</summary>
        public void FlushMm(int mm)
        {
            Touch(true);
            lock (_entries) RemoveRange(mm, 0, ulong.MaxValue);
        }

        /// <summary>Drops everything.</summary>
        public void FlushAll()
        {
            Touch(true);
            lock (_entries) _entries.Clear();
        }

        private void RemoveRange(int mm, ulong first, ulong last)
        {
            List<(int, ulong)>? doomed = null;
            foreach (var key in _entries.Keys)
            {
                if (key.Mm == mm && key.Page >= first && key.Page <= last) (doomed ??= new()).Add(key);
            }
            if (doomed == null) return;
            foreach (var key in doomed) _entries.Remove(key);
        }
    }

    /// <summary>
    /// A page-walk cache: upper-level entries (pointers to lower tables) the hardware walker remembers between walks
    /// (x86 paging-structure caches, arm64 walk caches, powerpc radix PWC). Flushed only with freed tables.
    /// </summary>
    public sealed class WalkCache
    {
        private readonly Dictionary<(int Mm, int Level, ulong Prefix), TableRef> _entries = new();

        private SharedHandle _shared;

        /// <summary>The CPU this cache belongs to, for the explorer's dependency relation; unset on a standalone cache.</summary>
        internal void Attach(Scheduling points, int cpu) => _shared = new SharedHandle(points, SharedObject.Tlb(cpu));

        private void Touch(bool write) => _shared.Touch(write);

        /// <summary>A summary of the contents that changes when they change, for <see cref="AccessAudit"/>.</summary>
        internal long Fingerprint() => CacheFingerprint.Of(_entries);

        /// <summary>Cached upper-level entries.</summary>
        public int Count
        {
            get { lock (_entries) return _entries.Count; }
        }

        /// <summary>Remembers that in <paramref name="mm"/> the table below level <paramref name="level"/> for addresses with <paramref name="prefix"/> is <paramref name="table"/>.</summary>
        public void Insert(int mm, int level, ulong prefix, TableRef table)
        {
            Touch(true);
            lock (_entries) _entries[(mm, level, prefix)] = table;
        }

        /// <summary>The cached lower table, if any.</summary>
        public bool TryLookup(int mm, int level, ulong prefix, out TableRef table)
        {
            Touch(false);
            lock (_entries) return _entries.TryGetValue((mm, level, prefix), out table);
        }

        /// <summary>Drops every cached entry of <paramref name="mm"/>.</summary>
        public void FlushMm(int mm)
        {
            Touch(true);
            lock (_entries)
            {
                List<(int, int, ulong)>? doomed = null;
                foreach (var key in _entries.Keys)
                {
                    if (key.Mm == mm) (doomed ??= new()).Add(key);
                }
                if (doomed == null) return;
                foreach (var key in doomed) _entries.Remove(key);
            }
        }

        /// <summary>Drops everything.</summary>
        public void FlushAll()
        {
            Touch(true);
            lock (_entries) _entries.Clear();
        }
    }

    // One summary for both caches: the order of the entries does not matter, their keys and values do.
    internal static class CacheFingerprint
    {
        public static long Of<TKey, TValue>(Dictionary<TKey, TValue> entries) where TKey : notnull
        {
            lock (entries)
            {
                long sum = entries.Count;
                foreach (var pair in entries) sum += (long)pair.Key.GetHashCode() * 31 + (pair.Value?.GetHashCode() ?? 0);
                return sum;
            }
        }
    }
}
