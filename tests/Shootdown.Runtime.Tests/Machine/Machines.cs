using Shootdown.Simulation;

namespace Shootdown.Runtime.Tests.MachineTests
{
    /// <summary>Descriptors for machine tests, and small helpers that build page tables with the runtime's primitives.</summary>
    internal static class Machines
    {
        public static ArchDescriptor Describe(string name, Invalidation invalidation, int levels = 4, int pteBits = 64, int wordBits = 64,
            int fragments = 1, WalkerKind walker = WalkerKind.CachesUpperLevels, GatherOptions options = GatherOptions.None) =>
            new(name, invalidation, SynchronousOnClear: false, levels, 4096, fragments, pteBits, wordBits, PteSpecial: true, walker,
                SoftwareTlbRefill: false, options, FastGup: true, PteRead.SingleLoad);

        public static ArchDescriptor IpiX86 => Describe("ipi-x86", Invalidation.Ipi);
        public static ArchDescriptor BroadcastArm => Describe("bcast-arm", Invalidation.HardwareBroadcast, walker: WalkerKind.WalksTables);
        public static ArchDescriptor Pae => Describe("pae", Invalidation.Ipi, levels: 3, pteBits: 64, wordBits: 32, walker: WalkerKind.WalksTables);
        public static ArchDescriptor S390 => Describe("s390ish", Invalidation.HardwareBroadcast, levels: 4, fragments: 2, walker: WalkerKind.WalksTables,
            options: GatherOptions.RcuTableFree);
        public static ArchDescriptor Legacy32 => Describe("i386", Invalidation.Ipi, levels: 2, pteBits: 32, wordBits: 32, walker: WalkerKind.WalksTables);

        /// <summary>Walks (allocating tables) down to the PTE table of <paramref name="address"/>.</summary>
        public static TableRef PteTable(Machine m, Mm mm, ulong address, int cpu = 0)
        {
            var g = m.Geometry;
            var table = mm.Pgd;
            for (var level = g.Levels - 1; level > 0; level--)
            {
                var index = g.Index(level, address);
                var entry = PageTables.Read(m, table, level, index);
                if (!Entry.IsPresent(entry))
                {
                    var child = m.Tables.Allocate(level - 1, cpu);
                    Assert.False(child.IsNone, "out of frames for a table");
                    entry = PageTables.TableEntry(m, child);
                    PageTables.Write(m, table, level, index, entry);
                }
                table = PageTables.Deref(m, entry, level - 1);
            }
            return table;
        }

        /// <summary>Maps a fresh data page at <paramref name="address"/> and returns its frame.</summary>
        public static int MapPage(Machine m, Mm mm, ulong address, int cpu = 0)
        {
            var pte = PteTable(m, mm, address, cpu);
            var pfn = m.Memory.TryAllocate(FrameUse.Data, cpu);
            Assert.NotEqual(0, pfn);
            m.Memory.AddMap(pfn);
            PageTables.Write(m, pte, 0, m.Geometry.Index(0, address), PageTables.PageEntry(m, pfn, Entry.Write));
            return pfn;
        }

        /// <summary>The upper-level table holding the entry that points at the PTE table of <paramref name="address"/>.</summary>
        public static TableRef PmdTable(Machine m, Mm mm, ulong address)
        {
            var g = m.Geometry;
            var table = mm.Pgd;
            for (var level = g.Levels - 1; level > 1; level--)
                table = PageTables.Deref(m, PageTables.Read(m, table, level, g.Index(level, address)), level - 1);
            return table;
        }

        /// <summary>
        /// <c>ptep_get_lockless</c>: one load, or on a split-PTE machine <c>gup_get_pte</c>'s low, high, re-read low,
        /// retry when low moved.
        /// </summary>
        public static ulong ReadPte(Machine m, TableRef table, int index)
        {
            if (!m.SplitPte) return PageTables.Read(m, table, 0, index);
            while (true)
            {
                var low = PageTables.ReadLow(m, table, 0, index);
                var high = PageTables.ReadHigh(m, table, 0, index);
                if (PageTables.ReadLow(m, table, 0, index) == low) return ((ulong)high << 32) | low;
            }
        }

        /// <summary>
        /// A lockless software walker (fast GUP shape): interrupts off, walk, speculative reference, re-check the PTE.
        /// Returns the pinned frame (the caller puts it) or 0.
        /// </summary>
        public static int GupOne(Cpu cpu, Mm mm, ulong address)
        {
            var m = cpu.Machine;
            var g = m.Geometry;
            cpu.DisableIrqs();
            try
            {
                var table = mm.Pgd;
                for (var level = g.Levels - 1; level > 0; level--)
                {
                    var entry = PageTables.Read(m, table, level, g.Index(level, address));
                    if (!Entry.IsPresent(entry)) return 0;
                    table = PageTables.Deref(m, entry, level - 1);
                    if (table.IsNone) return 0;
                }
                var index = g.Index(0, address);
                var pte = ReadPte(m, table, index);
                if (!Entry.IsPresent(pte)) return 0;
                var pfn = PageTables.Pfn(m, pte);
                if (pfn == 0 || !m.Memory.TryGet(pfn)) return 0;
                if (ReadPte(m, table, index) != pte)
                {
                    m.Memory.Put(pfn, cpu.Id);
                    return 0;
                }
                return pfn;
            }
            finally
            {
                cpu.EnableIrqs();
            }
        }
    }
}
