namespace Shootdown.Simulation
{
    /// <summary>
    /// Encoding of a page-table entry: the physical address of the page (or of the next table, with its fragment offset)
    /// in the high bits, flags in the low byte. Zero is an empty entry.
    /// </summary>
    public static class Entry
    {
        /// <summary>The entry maps something.</summary>
        public const ulong Present = 1UL << 0;
        /// <summary>Writable.</summary>
        public const ulong Write = 1UL << 1;
        /// <summary>Executable.</summary>
        public const ulong Exec = 1UL << 2;
        /// <summary><c>pte_special</c>: no struct page behind it to refcount.</summary>
        public const ulong Special = 1UL << 3;
        /// <summary>A huge leaf at PMD or PUD level rather than a pointer to the next table.</summary>
        public const ulong Leaf = 1UL << 4;
        /// <summary>All flag bits.</summary>
        public const ulong FlagMask = 0xFF;

        /// <summary>The entry for a physical address with flags.</summary>
        public static ulong Make(ulong physical, ulong flags) => (physical & ~FlagMask) | flags | Present;

        /// <summary>True when the entry maps something.</summary>
        public static bool IsPresent(ulong entry) => (entry & Present) != 0 && entry != PhysicalMemory.PoisonWord;

        /// <summary>The physical address the entry points at.</summary>
        public static ulong Physical(ulong entry) => entry & ~FlagMask;
    }
}
