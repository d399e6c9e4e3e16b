using System;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using System.Threading;

namespace Shootdown.Simulation
{
    /// <summary>
    /// Reading and writing page-table entries, and turning entries into table pointers and back. Every load and store is
    /// a scheduling point. On a machine whose PTE is wider than its word (x86 PAE, ARM LPAE) a PTE is two 32-bit words,
    /// each loaded and stored on its own (a separate point), in Linux's order: <c>set_pte</c> stores high, <c>smp_wmb</c>,
    /// low; clearing takes low first, then high. Upper-level entries are stored whole (<c>set_64bit</c>). A load from a
    /// table that was freed, or freed and reused, since the pointer to it was taken is recorded as a violation.
    /// </summary>
    public static class PageTables
    {
        /// <summary>The physical address of <paramref name="table"/> (frame plus fragment offset, by its page's fragment size).</summary>
        public static ulong Physical(Machine m, TableRef table) =>
            m.Memory.PhysicalAddress(table.Pfn) + (ulong)table.Fragment * (ulong)m.Tables.FragmentBytes(table.Pfn);

        /// <summary>The entry pointing at <paramref name="table"/>.</summary>
        public static ulong TableEntry(Machine m, TableRef table) => Entry.Make(Physical(m, table), 0);

        /// <summary>The entry mapping frame <paramref name="pfn"/> with <paramref name="flags"/>.</summary>
        public static ulong PageEntry(Machine m, int pfn, ulong flags) => Entry.Make(m.Memory.PhysicalAddress(pfn), flags);

        /// <summary>The frame an entry points at, or 0 when no memory is at that address.</summary>
        public static int Pfn(Machine m, ulong entry) => m.Memory.FrameAt(Entry.Physical(entry));

        /// <summary>The table an upper-level entry points at, stamped as it is now.</summary>
        public static TableRef Deref(Machine m, ulong entry, int childLevel)
        {
            var physical = Entry.Physical(entry);
            var pfn = m.Memory.FrameAt(physical);
            if (pfn == 0) return TableRef.None;
            var offset = (int)(physical & (ulong)(m.Geometry.PageSize - 1));
            var fragments = m.Geometry.Fragments(childLevel);
            var fragment = fragments > 1 ? offset / m.Geometry.TableBytes(childLevel) : 0;
            if (fragment >= fragments) return TableRef.None;
            m.Scheduling.Touch(SharedObject.Frame(pfn), false); // the stamp: which table the page holds now
            return new TableRef(pfn, fragment, m.Tables.Stamp(pfn, fragment));
        }

        /// <summary>
        /// Loads entry <paramref name="index"/> of <paramref name="table"/> at <paramref name="level"/> as the compiler
        /// would: on a split-PTE machine a PTE load is two word loads (low, then high) and can be torn.
        /// </summary>
        public static ulong Read(Machine m, TableRef table, int level, int index, int cpu = -1)
        {
            var i = Locate(m, table, level, index);
            if (m.SplitPte && level == 0)
            {
                var low = LoadWord(m, table, i, high: false, level, cpu);
                var atLow = Volatile.Read(ref m.Memory.TableWords(table.Pfn)[i]);
                var high = LoadWord(m, table, i, high: true, level, cpu);
                var atHigh = Volatile.Read(ref m.Memory.TableWords(table.Pfn)[i]);
                var value = ((ulong)high << 32) | low;
                // A torn value is only a bug once it is used: a re-check that compares it with the value read before
                // merely fails. The load is remembered and reported if this CPU then takes a reference on its frame.
                if (value != atLow && value != atHigh && Entry.IsPresent(value))
                {
                    if (cpu < 0) cpu = m.Scheduling.Current?.Id ?? 0;
                    m.Memory.NoteTornLoad(Pfn(m, value), cpu,
                        $"cpu{cpu} loaded pte {value:x} at index {index} of {table} in two halves (low of {atLow:x}, high of {atHigh:x}) and took a reference on frame {Pfn(m, value)} it names");
                }
                else
                {
                    m.Memory.NoteTornLoad(0, cpu, null);
                }
                m.GupAudit.Loaded();
                return value;
            }
            m.Scheduling.Point(StepKind.EntryLoad);
            m.Scheduling.TouchEntry(table.Pfn, i, false);
            CheckLive(m, table, level, cpu);
            var loaded = Volatile.Read(ref m.Memory.TableWords(table.Pfn)[i]);
            m.GupAudit.Loaded();
            return loaded;
        }

        /// <summary>Loads the low 32-bit word of an entry (one word load).</summary>
        public static uint ReadLow(Machine m, TableRef table, int level, int index, int cpu = -1)
        {
            var i = Locate(m, table, level, index);
            var low = LoadWord(m, table, i, high: false, level, cpu);
            if (m.SplitPte && level == 0)
            {
                // Remembered for the high half that follows; a low half read again (gup_get_pte's re-check) starts over.
                t_lastLow = new LowHalf { Machine = m, Pfn = table.Pfn, Index = i, Value = low, Whole = Volatile.Read(ref m.Memory.TableWords(table.Pfn)[i]) };
                m.Memory.NoteTornLoad(0, cpu, null);
            }
            m.GupAudit.Loaded();
            return low;
        }

        /// <summary>
        /// Loads the high 32-bit word of an entry (one word load). After a <see cref="ReadLow"/> of the same PTE, the two
        /// halves are judged as the reader will assemble them: a present combination that the entry never held (the
        /// low half of one value, the high half of another) is remembered, and a reference this CPU then takes on the
        /// frame it names is reported as <see cref="ViolationKind.TornPte"/>, as for a whole PTE read in two halves.
        /// </summary>
        public static uint ReadHigh(Machine m, TableRef table, int level, int index, int cpu = -1)
        {
            var i = Locate(m, table, level, index);
            var high = LoadWord(m, table, i, high: true, level, cpu);
            var low = t_lastLow;
            if (m.SplitPte && level == 0 && ReferenceEquals(low.Machine, m) && low.Pfn == table.Pfn && low.Index == i)
            {
                var atHigh = Volatile.Read(ref m.Memory.TableWords(table.Pfn)[i]);
                var value = ((ulong)high << 32) | low.Value;
                if (value != low.Whole && value != atHigh && Entry.IsPresent(value))
                {
                    if (cpu < 0) cpu = m.Scheduling.Current?.Id ?? 0;
                    m.Memory.NoteTornLoad(Pfn(m, value), cpu,
                        $"cpu{cpu} read pte {value:x} at index {index} of {table} as a low half of {low.Whole:x} and a high half of {atHigh:x} and took a reference on frame {Pfn(m, value)} it names");
                }
            }
            m.GupAudit.Loaded();
            return high;
        }

        // The last low half this thread read of a PTE, with the whole entry at that instant: a struct, so the split read
        // of every PTE fast GUP takes allocates nothing.
        private struct LowHalf
        {
            public Machine? Machine;
            public int Pfn;
            public int Index;
            public uint Value;
            public ulong Whole;
        }

        [ThreadStatic] private static LowHalf t_lastLow;

        /// <summary>
        /// Stores an entry (<c>set_pte</c>, <c>set_pmd</c>, ...). On a split-PTE machine a PTE store is high word,
        /// <c>smp_wmb</c>, low word: the present bit (low) goes last, so a reader never sees a present half-new entry
        /// unless it reads the halves in the wrong order or without re-checking.
        /// </summary>
        public static void Write(Machine m, TableRef table, int level, int index, ulong value)
        {
            var i = Locate(m, table, level, index);
            if (m.SplitPte && level == 0)
            {
                StoreWord(m, table, i, high: true, (uint)(value >> 32));
                StoreWord(m, table, i, high: false, (uint)value);
                return;
            }
            m.Scheduling.Point(StepKind.EntryStore);
            m.Scheduling.TouchEntry(table.Pfn, i, true);
            Volatile.Write(ref m.Memory.TableWords(table.Pfn)[i], value);
        }

        /// <summary>
        /// Clears an entry and returns what it held (<c>ptep_get_and_clear</c>, <c>pmd_clear</c>). On a split-PTE machine
        /// PTEs and PMDs are cleared low word first (exchange), then high: the present bit goes first.
        /// </summary>
        public static ulong Clear(Machine m, TableRef table, int level, int index)
        {
            var i = Locate(m, table, level, index);
            if (m.SplitPte && level <= 1)
            {
                m.Scheduling.Point(StepKind.EntryStore);
                m.Scheduling.TouchEntry(table.Pfn, i, true);
                var halves = Halves(m, table);
                var low = Interlocked.Exchange(ref halves[2 * i], 0u);
                m.Scheduling.Point(StepKind.EntryStore);
                m.Scheduling.TouchEntry(table.Pfn, i, true);
                halves = Halves(m, table);
                var high = Volatile.Read(ref halves[2 * i + 1]);
                Volatile.Write(ref halves[2 * i + 1], 0u);
                return ((ulong)high << 32) | low;
            }
            m.Scheduling.Point(StepKind.EntryStore);
            m.Scheduling.TouchEntry(table.Pfn, i, true);
            return Interlocked.Exchange(ref m.Memory.TableWords(table.Pfn)[i], 0UL);
        }

        /// <summary>
        /// True when a walker holding <paramref name="table"/> may still read it: the frame is a live page table and the
        /// table is the same one it was when the pointer was taken.
        /// </summary>
        public static bool IsLive(Machine m, TableRef table) => m.Tables.IsLive(table);

        /// <summary>
        /// The frame the tables of <paramref name="mm"/> translate <paramref name="address"/> to now, or 0: a walk with no
        /// scheduling point, nothing cached and no access recorded, for the machine's own checks (they observe, they do
        /// not take part).
        /// </summary>
        internal static int TranslateQuietly(Machine m, Mm mm, ulong address)
        {
            var g = m.Geometry;
            var table = mm.Pgd;
            for (var level = g.Levels - 1; level >= 0 && !table.IsNone && IsLive(m, table); level--)
            {
                var entry = Volatile.Read(ref m.Memory.TableWords(table.Pfn)[Locate(m, table, level, g.Index(level, address))]);
                if (!Entry.IsPresent(entry)) return 0;
                if (level == 0 || (entry & Entry.Leaf) != 0)
                {
                    var pfn = Pfn(m, entry);
                    if (pfn <= 0) return 0;
                    var page = pfn + (int)((address & (g.EntrySize(level) - 1)) >> g.PageShift);
                    return page < m.Memory.FrameCount ? page : 0;
                }
                table = Deref(m, entry, level - 1);
            }
            return 0;
        }

        /// <summary>A whole-entry load with no scheduling point and no check, for the hardware walker's atomic walk.</summary>
        internal static ulong LoadAtomic(Machine m, TableRef table, int level, int index)
        {
            var i = Locate(m, table, level, index);
            m.Scheduling.TouchEntry(table.Pfn, i, false);
            return Volatile.Read(ref m.Memory.TableWords(table.Pfn)[i]);
        }

        private static uint LoadWord(Machine m, TableRef table, int i, bool high, int level, int cpu)
        {
            m.Scheduling.Point(StepKind.EntryLoad);
            m.Scheduling.TouchEntry(table.Pfn, i, false);
            CheckLive(m, table, level, cpu);
            return Volatile.Read(ref Halves(m, table)[2 * i + (high ? 1 : 0)]);
        }

        private static void StoreWord(Machine m, TableRef table, int i, bool high, uint value)
        {
            m.Scheduling.Point(StepKind.EntryStore);
            m.Scheduling.TouchEntry(table.Pfn, i, true);
            Volatile.Write(ref Halves(m, table)[2 * i + (high ? 1 : 0)], value);
        }

        // Little-endian: word 2i is the low half of entry i.
        private static Span<uint> Halves(Machine m, TableRef table) => MemoryMarshal.Cast<ulong, uint>(m.Memory.TableWords(table.Pfn).AsSpan());

        internal static void CheckLive(Machine m, TableRef table, int level, int cpu)
        {
            if (m.Tables.IsLive(table)) return;
            if (cpu < 0) cpu = m.Scheduling.Current?.Id ?? 0;
            m.Violations.Report(ViolationKind.ReadFreedTable, cpu,
                $"cpu{cpu} read {m.Geometry.LevelName(level)} {table} after it was freed{(m.Memory[table.Pfn].Use == FrameUse.Free ? "" : " and reused")}");
        }

        private static int Locate(Machine m, TableRef table, int level, int index)
        {
            var g = m.Geometry;
            if (table.IsNone || (uint)level >= (uint)g.Levels || (uint)index >= (uint)g.Entries(level)) ThrowBadLocation(g, table, level, index);
            return table.Fragment * g.Entries(level) + index; // Fragment is 0 on a level that is not fragmented
        }

        // Out of line so that Locate, on every entry access, stays small enough to inline.
        [DoesNotReturn]
        private static void ThrowBadLocation(PageTableGeometry g, TableRef table, int level, int index)
        {
            if (table.IsNone) throw new ArgumentException("no table", nameof(table));
            if ((uint)level >= (uint)g.Levels) throw new ArgumentOutOfRangeException(nameof(level), level, $"no level {level} in {g.Levels}-level tables");
            throw new ArgumentOutOfRangeException(nameof(index), index, $"a {g.LevelName(level)} table has {g.Entries(level)} entries");
        }
    }
}
