using Shootdown.Simulation;

namespace Shootdown.Explorer
{
    /// <summary>
    /// Watches one machine's events for the window every lockless-walker race is about: an initiator clears an entry on
    /// the path of a walk another CPU has begun, after the walker read the entry above it and before the walk ended.
    /// The walker then holds a pointer to a table (or a page) the initiator is about to free: the instant that
    /// <c>tlb_remove_table</c>'s IPI or RCU deferral (mm/mmu_gather.c) and the <c>pte_free_defer</c> of
    /// <c>retract_page_tables</c> (mm/khugepaged.c, 70cbc3cc78a9, 2ba99c5e0881) must outlast.
    /// </summary>
    public sealed class MidWalkWindow
    {
        private readonly Machine _m;
        private readonly int _walker;
        private readonly int _initiator;
        private readonly int _atLevel;
        private int _level = -1;
        private ulong _address;

        /// <summary>Watches <paramref name="m"/>: <paramref name="initiator"/> clearing under <paramref name="walker"/>.</summary>
        /// <param name="m">The machine.</param>
        /// <param name="initiator">The CPU that clears entries.</param>
        /// <param name="walker">The CPU that walks without locks.</param>
        /// <param name="atLevel">Only a clear at this level counts (1: the PMD a collapse swaps), or -1 for any level.</param>
        public MidWalkWindow(Machine m, int initiator, int walker, int atLevel = -1)
        {
            _m = m;
            _initiator = initiator;
            _walker = walker;
            _atLevel = atLevel;
            m.Trace.Watch(See);
        }

        /// <summary>The window was reached at least once.</summary>
        public bool Reached { get; private set; }

        /// <summary>The walker's call returned (its last read may not have been recorded): no walk is in flight.</summary>
        public void WalkEnded() => _level = -1;

        private void See(TraceEvent e)
        {
            if (e.Kind == EventKind.WalkerRead && e.Cpu == _walker)
            {
                // A read at level 0, or of a leaf or empty entry, ends the walk; an upper-level table entry opens it.
                var level = (int)e.B;
                var opens = level > 0 && Entry.IsPresent(e.C) && (e.C & Entry.Leaf) == 0;
                _level = opens ? level : -1;
                _address = e.A;
                return;
            }
            if (e.Kind != EventKind.EntryCleared || e.Cpu != _initiator || _level < 0) return;
            var cleared = (int)e.B;
            if (_atLevel >= 0 && cleared != _atLevel) return;
            var span = _m.Geometry.EntrySize(_level);
            if (cleared <= _level && (e.A & ~(span - 1)) == (_address & ~(span - 1))) Reached = true;
        }
    }
}
