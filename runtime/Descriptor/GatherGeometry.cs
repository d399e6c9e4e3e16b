// Shared between the analyzer (netstandard2.0) and the runtime (net10.0).
namespace Shootdown
{
    /// <summary>
    /// Batch sizes exactly as <c>include/asm-generic/tlb.h</c> derives them from the page size and pointer width.
    /// </summary>
    public static class GatherGeometry
    {
        /// <summary><c>MMU_GATHER_BUNDLE</c>: the on-stack batch used before any batch page is allocated.</summary>
        public const int Bundle = 8;

        /// <summary>Pointer size in bytes on a machine with <paramref name="wordBits"/>-bit words.</summary>
        public static int PointerBytes(int wordBits) => wordBits / 8;

        /// <summary>
        /// <c>MAX_GATHER_BATCH</c> = (PAGE_SIZE - sizeof(struct mmu_gather_batch)) / sizeof(void *);
        /// the header is <c>next</c>, <c>nr</c> and <c>max</c>: 510 for 4 KiB pages on 64-bit.
        /// </summary>
        public static int MaxGatherBatch(int pageSize, int wordBits)
        {
            var ptr = PointerBytes(wordBits);
            return (pageSize - (ptr + 4 + 4)) / ptr;
        }

        /// <summary><c>MAX_GATHER_BATCH_COUNT</c> = 10000 / MAX_GATHER_BATCH: the cap that bounds a gather's memory.</summary>
        public static int MaxGatherBatchCount(int pageSize, int wordBits) => 10000 / MaxGatherBatch(pageSize, wordBits);

        /// <summary>
        /// <c>MAX_TABLE_BATCH</c> = (PAGE_SIZE - sizeof(struct mmu_table_batch)) / sizeof(void *): with an RCU head
        /// (two pointers) the header is 24 bytes on 64-bit (509 slots), without it 8 (511 slots).
        /// </summary>
        public static int MaxTableBatch(int pageSize, int wordBits, bool rcuHead)
        {
            var ptr = PointerBytes(wordBits);
            var header = (rcuHead ? 2 * ptr : 0) + 4;
            header = (header + ptr - 1) / ptr * ptr; // the tables[] array is pointer aligned
            return (pageSize - header) / ptr;
        }

        /// <summary>The batch sizes of <paramref name="d"/>.</summary>
        public static int MaxGatherBatch(ArchDescriptor d) => MaxGatherBatch(d.PageSize, d.WordBits);

        /// <summary>The batch count cap of <paramref name="d"/>.</summary>
        public static int MaxGatherBatchCount(ArchDescriptor d) => MaxGatherBatchCount(d.PageSize, d.WordBits);

        /// <summary>
        /// Pages a gather of <paramref name="d"/> holds before it must flush: the bundle and every batch page, each counted
        /// full one entry early (<c>nr &gt;= max - 1</c> in <c>__tlb_remove_folio_pages_size</c>).
        /// </summary>
        public static int PagesBeforeFlush(ArchDescriptor d) => Bundle - 1 + MaxGatherBatchCount(d) * (MaxGatherBatch(d) - 1);

        /// <summary>The table batch size of <paramref name="d"/>.</summary>
        public static int MaxTableBatch(ArchDescriptor d) => MaxTableBatch(d.PageSize, d.WordBits, d.Has(GatherOptions.RcuTableFree));

        /// <summary>
        /// Entries in one table at <paramref name="level"/> (0 = PTE table); fragments shrink PTE and PMD tables, and the top
        /// level has only as many entries as the virtual address has bits left (x86 PAE and ARM LPAE: a 4-entry PGD).
        /// </summary>
        public static int EntriesPerTable(ArchDescriptor d, int level)
        {
            if (level == d.Levels - 1) return 1 << (AddressBits(d) - LevelShift(d, level));
            return FullTable(d, level);
        }

        // Entries of a whole table: PTRS_PER_* where given, else what its page (or PTE fragment) holds.
        private static int FullTable(ArchDescriptor d, int level)
        {
            var declared = d.DeclaredEntries(level);
            if (declared != 0) return declared;
            return d.PageSize / d.FragmentsAt(level) / (d.PteBits / 8);
        }

        /// <summary>
        /// Pages one table at <paramref name="level"/> takes: one for a PTE table (or a page of PTE or PMD fragments) and for a
        /// table smaller than a page, more for a larger one (s390's 16 KiB region and segment tables, <c>CRST_ALLOC_ORDER</c> 2).
        /// </summary>
        public static int TableFrames(ArchDescriptor d, int level) =>
            level == 0 ? 1 : System.Math.Max(1, FullTable(d, level) * (d.PteBits / 8) / d.PageSize);

        /// <summary>Address bits below the index of <paramref name="level"/>: PAGE_SHIFT, PMD_SHIFT, PUD_SHIFT, ...</summary>
        public static int LevelShift(ArchDescriptor d, int level)
        {
            var shift = Log2(d.PageSize);
            for (var l = 0; l < level; l++) shift += Log2(EntriesPerTable(d, l));
            return shift;
        }

        /// <summary>
        /// Bits of user virtual address the tables translate (TASK_SIZE = 1 &lt;&lt; this): what full tables at every level
        /// would span, but no more than a machine word addresses (32 bits on a 32-bit word) and at most 63.
        /// </summary>
        public static int AddressBits(ArchDescriptor d) => System.Math.Min(FullSpanBits(d), d.WordBits == 32 ? 32 : 63);

        /// <summary>Bits of address that full tables at every level, the top one included, would translate.</summary>
        public static int FullSpanBits(ArchDescriptor d)
        {
            var top = d.Levels - 1;
            return LevelShift(d, top) + Log2(FullTable(d, top));
        }

        /// <summary>log2 of <paramref name="value"/>, which must be a power of two.</summary>
        public static int Log2(long value)
        {
            var n = 0;
            while ((1L << n) < value) n++;
            return n;
        }
    }
}
