// Shared between the analyzer (netstandard2.0) and the runtime (net10.0).
namespace Shootdown
{
    /// <summary>
    /// The names Linux gives page-table levels. Level 0 is the PTE table; the top level is always the PGD, whatever the
    /// count, because Linux folds the missing middle levels away (<c>include/asm-generic/pgtable-nop4d.h</c>,
    /// <c>pgtable-nopud.h</c>, <c>pgtable-nopmd.h</c>).
    /// </summary>
    public static class PageTableLevels
    {
        /// <summary>"pte", "pmd", "pud", "p4d" or "pgd": level <paramref name="level"/> of <paramref name="levels"/>.</summary>
        public static string Name(int level, int levels) =>
            level == levels - 1 ? "pgd" : level switch { 0 => "pte", 1 => "pmd", 2 => "pud", _ => "p4d" };

        /// <summary>The upper-case form for Linux's macros: <c>PTRS_PER_PMD</c>, <c>PMD_SHIFT</c>.</summary>
        public static string MacroName(int level, int levels) => Name(level, levels).ToUpperInvariant();
    }
}
