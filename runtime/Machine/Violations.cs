using System.Collections.Generic;
using System.Threading;

namespace Shootdown.Simulation
{
    /// <summary>The ways the teardown invariant can break.</summary>
    public enum ViolationKind
    {
        /// <summary>A page was freed twice.</summary>
        DoubleFree,
        /// <summary>A page was freed while still referenced or mapped.</summary>
        FreeWhileReferenced,
        /// <summary>A walker read a page-table page that was freed or reused since it got there.</summary>
        ReadFreedTable,
        /// <summary>A translation held in a TLB was used after its page was freed.</summary>
        StaleTlbUse,
        /// <summary>A page-walk cache entry pointed at a freed page table when used.</summary>
        StaleWalkCacheUse,
        /// <summary>A walker accepted a PTE whose halves came from two different values.</summary>
        TornPte,
        /// <summary>A page was pinned that was never mapped at that address.</summary>
        WrongPagePinned,
        /// <summary>At the end, a page is neither free nor owned.</summary>
        PageLeaked,
        /// <summary>A reference was taken on a frame that is free.</summary>
        UseAfterFree,
        /// <summary>A free of something that is not a whole allocation (a compound tail).</summary>
        InvalidFree,
        /// <summary>A translation cached before munmap, madvise or exit was still usable, or used, after the call returned.</summary>
        StaleAfterReturn,
        /// <summary>GUP returned a page that was not mapped at its address at any instant it held a reference to it.</summary>
        GupNotLinearizable,
    }

    /// <summary>One broken invariant, with the recent events that led there.</summary>
    public sealed record Violation(ViolationKind Kind, int Cpu, string Detail, IReadOnlyList<TraceEvent> History)
    {
        /// <inheritdoc/>
        public override string ToString() => $"{Kind} on cpu{Cpu}: {Detail}";
    }

    /// <summary>Collects violations; the machine never throws on one, so a run can show all it found.</summary>
    public sealed class ViolationLog
    {
        private readonly List<Violation> _violations = new();
        private readonly Lock _lock = new();
        private readonly EventTrace _trace;

        /// <summary>A log that attaches the tail of <paramref name="trace"/> to each violation.</summary>
        public ViolationLog(EventTrace trace) => _trace = trace;

        /// <summary>Records a violation.</summary>
        public void Report(ViolationKind kind, int cpu, string detail)
        {
            var all = _trace.Snapshot();
            var start = System.Math.Max(0, all.Count - 32);
            var tail = new List<TraceEvent>();
            for (var i = start; i < all.Count; i++) tail.Add(all[i]);
            _trace.Record(EventKind.Violation, cpu, (ulong)kind);
            lock (_lock) _violations.Add(new Violation(kind, cpu, detail, tail));
        }

        /// <summary>The violations so far.</summary>
        public IReadOnlyList<Violation> All
        {
            get { lock (_lock) return _violations.ToArray(); }
        }

        /// <summary>True when nothing broke.</summary>
        public bool IsEmpty
        {
            get { lock (_lock) return _violations.Count == 0; }
        }
    }
}
