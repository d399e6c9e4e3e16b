namespace Shootdown.Simulation
{
    /// <summary>Reading and writing page-table entries, and turning entries into table pointers and back.</summary>
    public static class PageTables
    {
        /// <summary>The physical address of <paramref name="table"/> (frame plus fragment offset).</summary>
        public static ulong Physical(Machine m, TableRef table) =>
            ((ulong)table.Pfn << m.Geometry.PageShift) + (ulong)(table.Fragment * m.Geometry.TableBytes(0));

        /// <summary>The entry pointing at <paramref name="table"/>.</summary>
        public static ulong TableEntry(Machine m, TableRef table) => Entry.Make(Physical(m, table), 0);

        /// <summary>The entry mapping frame <paramref name="pfn"/> with <paramref name="flags"/>.</summary>
        public static ulong PageEntry(Machine m, int pfn, ulong flags) => Entry.Make((ulong)pfn << m.Geometry.PageShift, flags);

        /// <summary>The frame an entry points at.</summary>
        public static int Pfn(Machine m, ulong entry) => (int)(Entry.Physical(entry) >> m.Geometry.PageShift);

        /// <summary>The table an upper-level entry points at, stamped with the frame's current incarnation.</summary>
        public static TableRef Deref(Machine m, ulong entry, int childLevel)
        {
            var physical = Entry.Physical(entry);
            var pfn = (int)(physical >> m.Geometry.PageShift);
            var offset = (int)(physical & (ulong)(m.Geometry.PageSize - 1));
            var fragment = childLevel == 0 ? offset / m.Geometry.TableBytes(0) : 0;
            if (pfn <= 0 || pfn >= m.Memory.FrameCount) return TableRef.None;
            return new TableRef(pfn, fragment, m.Memory[pfn].Incarnation);
        }

        /// <summary>Reads entry <paramref name="index"/> of <paramref name="table"/> at <paramref name="level"/>.</summary>
        public static ulong Read(Machine m, TableRef table, int level, int index) =>
            System.Threading.Volatile.Read(ref m.Memory.TableWords(table.Pfn)[WordIndex(m, table, level, index)]);

        /// <summary>Writes entry <paramref name="index"/> of <paramref name="table"/> at <paramref name="level"/>.</summary>
        public static void Write(Machine m, TableRef table, int level, int index, ulong value) =>
            System.Threading.Volatile.Write(ref m.Memory.TableWords(table.Pfn)[WordIndex(m, table, level, index)], value);

        /// <summary>
        /// Reads the low 32-bit word of a PTE: on a machine whose word is narrower than its PTE, a PTE is two loads.
        /// </summary>
        public static uint ReadLow(Machine m, TableRef table, int level, int index) =>
            (uint)System.Threading.Volatile.Read(ref m.Memory.TableWords(table.Pfn)[WordIndex(m, table, level, index)]);

        /// <summary>Reads the high 32-bit word of a PTE.</summary>
        public static uint ReadHigh(Machine m, TableRef table, int level, int index) =>
            (uint)(System.Threading.Volatile.Read(ref m.Memory.TableWords(table.Pfn)[WordIndex(m, table, level, index)]) >> 32);

        /// <summary>Clears an entry and returns what it held (<c>ptep_get_and_clear</c>).</summary>
        public static ulong Clear(Machine m, TableRef table, int level, int index) =>
            System.Threading.Interlocked.Exchange(ref m.Memory.TableWords(table.Pfn)[WordIndex(m, table, level, index)], 0UL);

        /// <summary>
        /// True when a walker holding <paramref name="table"/> may still read it: the frame is a live page table of the
        /// same incarnation it had when the pointer was taken.
        /// </summary>
        public static bool IsLive(Machine m, TableRef table)
        {
            ref var frame = ref m.Memory[table.Pfn];
            return frame.Use == FrameUse.PageTable && frame.Incarnation == table.Incarnation;
        }

        private static int WordIndex(Machine m, TableRef table, int level, int index) =>
            level == 0 ? table.Fragment * m.Geometry.Entries(0) + index : index;
    }
}
