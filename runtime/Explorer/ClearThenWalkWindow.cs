using Shootdown.Simulation;

namespace Shootdown.Explorer
{
    /// <summary>
    /// Watches one machine for the window of a walk-cache race: the initiator cleared the upper-level entry that
    /// pointed to a table (<c>pmdp_collapse_flush</c>, <c>free_pgd_range</c>), and afterwards the walker's hardware
    /// walked the same address. A walk cache that still holds the table pointer then walks a table that is gone or
    /// going: the instant a flush with <c>freed_tables</c> must have closed.
    /// </summary>
    public sealed class ClearThenWalkWindow
    {
        private readonly Machine _m;
        private readonly int _initiator;
        private readonly int _walker;
        private readonly int _level;
        private readonly ulong _address;
        private bool _cleared;

        /// <summary>Watches <paramref name="m"/> for a walk of <paramref name="address"/> by <paramref name="walker"/> after <paramref name="initiator"/> cleared its entry at <paramref name="level"/>.</summary>
        public ClearThenWalkWindow(Machine m, int initiator, int walker, ulong address, int level = 1)
        {
            _m = m;
            _initiator = initiator;
            _walker = walker;
            _address = address;
            _level = level;
            m.Trace.Watch(See);
        }

        /// <summary>The window was reached at least once.</summary>
        public bool Reached { get; private set; }

        private void See(TraceEvent e)
        {
            var span = _m.Geometry.EntrySize(_level);
            if ((e.A & ~(span - 1)) != (_address & ~(span - 1))) return;
            if (e.Kind == EventKind.EntryCleared && e.Cpu == _initiator && (int)e.B == _level) _cleared = true;
            else if (e.Kind == EventKind.WalkerRead && e.Cpu == _walker && _cleared) Reached = true;
        }
    }
}
