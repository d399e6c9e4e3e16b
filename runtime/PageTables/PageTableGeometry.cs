using System;

namespace Shootdown.Simulation
{
    /// <summary>
    /// Address split of a descriptor's page tables. Level 0 is the PTE table, level <see cref="Levels"/>-1 the PGD;
    /// fragments apply to PTE tables (s390, powerpc <c>pte_fragment_alloc</c>) and PMD tables (powerpc
    /// <c>pmd_fragment_alloc</c>), as in Linux.
    /// </summary>
    public sealed class PageTableGeometry
    {
        private readonly int[] _shift;
        private readonly int[] _entries;
        private readonly int[] _frames;
        private readonly int[] _fragments;

        /// <summary>The geometry of <paramref name="descriptor"/>.</summary>
        public PageTableGeometry(ArchDescriptor descriptor)
        {
            if (!DescriptorRules.CanShapeTables(descriptor))
                throw new ArgumentException($"descriptor {descriptor.Name} has impossible values", nameof(descriptor));
            Levels = descriptor.Levels;
            PageSize = descriptor.PageSize;
            PageShift = GatherGeometry.Log2(PageSize);
            PteBytes = descriptor.PteBits / 8;
            FragmentsPerPage = descriptor.FragmentsPerPage;
            _shift = new int[Levels];
            _entries = new int[Levels];
            _frames = new int[Levels];
            _fragments = new int[Levels];
            for (var level = 0; level < Levels; level++)
            {
                _frames[level] = GatherGeometry.TableFrames(descriptor, level);
                _fragments[level] = descriptor.FragmentsAt(level);
                MaxFragments = Math.Max(MaxFragments, _fragments[level]);
                TableWords = Math.Max(TableWords, _frames[level] * PageSize / PteBytes);
                _shift[level] = GatherGeometry.LevelShift(descriptor, level);
                _entries[level] = GatherGeometry.EntriesPerTable(descriptor, level);
            }
            AddressBits = GatherGeometry.AddressBits(descriptor);
        }

        /// <summary>Levels of table.</summary>
        public int Levels { get; }
        /// <summary>Base page size.</summary>
        public int PageSize { get; }
        /// <summary>log2 of the page size.</summary>
        public int PageShift { get; }
        /// <summary>Bytes per entry.</summary>
        public int PteBytes { get; }
        /// <summary>PTE tables per page-table page.</summary>
        public int FragmentsPerPage { get; }
        /// <summary>Tables per page-table page at <paramref name="level"/>: PTE or PMD fragments, else 1.</summary>
        public int Fragments(int level) => _fragments[level];
        /// <summary>The most tables any level packs into one page: how many fragment slots a frame has.</summary>
        public int MaxFragments { get; }
        /// <summary>True when some level packs several tables to a page.</summary>
        public bool HasFragments => MaxFragments > 1;
        /// <summary>Bits of virtual address the tables translate.</summary>
        public int AddressBits { get; }
        /// <summary>The top of the user address space (<c>TASK_SIZE</c>).</summary>
        public ulong TaskSize => 1UL << AddressBits;

        /// <summary>Bytes of one table at <paramref name="level"/>.</summary>
        // A table above the PTE level takes whole pages, even when smaller than one (powerpc64 hash's 8 KiB PMDs), unless
        // that level is fragmented (powerpc64 radix's 4 KiB PMD fragments of a 64 KiB page).
        public int TableBytes(int level) => level == 0 || _fragments[level] > 1 ? PageSize / _fragments[level] : _frames[level] * PageSize;

        /// <summary>
        /// Frames one table at <paramref name="level"/> takes, as one compound page: one for a PTE table, a page of PTE
        /// fragments or a table smaller than a page; four for s390's 16 KiB region and segment tables.
        /// </summary>
        public int TableFrames(int level) => _frames[level];

        /// <summary>Words of memory behind a page-table frame: its largest table, or its PTE fragments.</summary>
        public int TableWords { get; }

        /// <summary>Entries in one table at <paramref name="level"/>.</summary>
        public int Entries(int level) => _entries[level];

        /// <summary>Address bits below the index of <paramref name="level"/> (<c>PMD_SHIFT</c> for level 1).</summary>
        public int Shift(int level) => _shift[level];

        /// <summary>Bytes mapped by one entry at <paramref name="level"/>.</summary>
        public ulong EntrySize(int level) => 1UL << _shift[level];

        /// <summary>Bytes mapped by one whole table at <paramref name="level"/>.</summary>
        public ulong TableSpan(int level) => EntrySize(level) * (ulong)_entries[level];

        /// <summary>
        /// The end of the step a range walk takes at <paramref name="level"/> from <paramref name="addr"/>: the next entry
        /// boundary, or <paramref name="end"/> if that comes first (<c>pmd_addr_end</c> and its siblings in
        /// include/linux/pgtable.h). Compared minus one, as Linux does, so a boundary that wraps to 0 at the top of the
        /// address space still ends the walk at <paramref name="end"/>.
        /// </summary>
        public ulong AddrEnd(ulong addr, ulong end, int level) => AddrEnd(addr, end, EntrySize(level));

        /// <inheritdoc cref="AddrEnd(ulong, ulong, int)"/>
        public static ulong AddrEnd(ulong addr, ulong end, ulong entrySize)
        {
            var boundary = (addr + entrySize) & ~(entrySize - 1);
            return boundary - 1 < end - 1 ? boundary : end;
        }

        /// <summary>Index of <paramref name="address"/> in its table at <paramref name="level"/>.</summary>
        public int Index(int level, ulong address) => (int)((address >> _shift[level]) & (ulong)(_entries[level] - 1));

        /// <summary>Linux's name of a table at <paramref name="level"/>: pte, pmd, pud, p4d, and pgd at the top.</summary>
        public string LevelName(int level) => PageTableLevels.Name(level, Levels);
    }
}
