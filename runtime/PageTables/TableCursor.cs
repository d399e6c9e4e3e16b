using System;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Threading;

namespace Shootdown.Simulation
{
    /// <summary>
    /// One page table opened for a walker compiled for its architecture: the level, the entry width and the table's place
    /// in its page are settled once, at <see cref="Open"/>, so each load is what the hardware does, a scheduling point, the
    /// liveness check that catches a table freed under the walker (on the frame and generation found at open), and one
    /// single-copy-atomic load.
    /// <see cref="PageTables.Read"/> settles them again at every load, as code that reads the descriptor at run time must.
    /// </summary>
    public readonly struct TableCursor
    {
        private readonly Machine _machine;
        private readonly Scheduling _scheduling;
        private readonly PageTableAllocator.LivenessProbe _live;
        private readonly TableRef _table;
        private readonly ulong[] _words;
        private readonly int _first;
        private readonly int _entries;
        private readonly int _level;

        private TableCursor(Machine machine, TableRef table, int level)
        {
            var g = machine.Geometry;
            _machine = machine;
            _scheduling = machine.Scheduling;
            _live = machine.Tables.Probe(table);
            _table = table;
            _level = level;
            _entries = g.Entries(level);
            _first = table.Fragment * _entries; // 0 on a level that is not fragmented
            _words = machine.Memory.TableWords(table.Pfn);
        }

        /// <summary>
        /// Opens <paramref name="table"/>, a table at <paramref name="level"/>, for whole-entry loads: any level of a
        /// machine whose PTE fits one load, upper levels of one that loads a PTE in two halves.
        /// </summary>
        /// <exception cref="ArgumentException">No table.</exception>
        /// <exception cref="ArgumentOutOfRangeException">No such level, or no such fragment of the page.</exception>
        /// <exception cref="InvalidOperationException">A PTE table of a machine that loads a PTE in two halves.</exception>
        public static TableCursor Open(Machine m, TableRef table, int level)
        {
            ArgumentNullException.ThrowIfNull(m);
            if (table.IsNone) throw new ArgumentException("no table", nameof(table));
            if ((uint)level >= (uint)m.Geometry.Levels) throw new ArgumentOutOfRangeException(nameof(level), level, $"no level {level} in {m.Geometry.Levels}-level tables");
            if (level == 0 && m.SplitPte) throw new InvalidOperationException($"{m.Descriptor.Name} loads a PTE in two halves: its PTE tables have no whole-entry loads");
            return new TableCursor(m, table, level);
        }

        /// <summary><c>READ_ONCE</c> of entry <paramref name="index"/>.</summary>
        // Inlined into the walk loop: this is the whole per-entry cost of a compiled walker, and a deep walk of inlined
        // levels otherwise leaves the JIT no budget for it.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public ulong LoadOnce(int index)
        {
            if ((uint)index >= (uint)_entries) ThrowBadIndex(index);
            _scheduling.Point(StepKind.EntryLoad);
            _scheduling.TouchEntry(_table.Pfn, _first + index, false);
            if (!_live.IsLive) PageTables.CheckLive(_machine, _table, _level, -1);
            return Volatile.Read(ref _words[_first + index]);
        }

        [DoesNotReturn]
        private void ThrowBadIndex(int index) =>
            throw new ArgumentOutOfRangeException(nameof(index), index, $"a {_machine.Geometry.LevelName(_level)} table has {_entries} entries");
    }
}
