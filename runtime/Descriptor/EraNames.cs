// Shared between the analyzer (netstandard2.0) and the runtime (net10.0): the Linux names a rule message uses, as the
// descriptor's era spelled them (docs/linux-eras.md, "Names per era").
namespace Shootdown
{
    /// <summary>
    /// Names Linux changed after v6.1. A message about a <see cref="LinuxEra.V6_1"/> descriptor names what that kernel has;
    /// every later era the model knows has the new name.
    /// </summary>
    public static class EraNames
    {
        /// <summary>
        /// The Kconfig symbol of lockless fast GUP: <c>HAVE_FAST_GUP</c> in v6.1, <c>HAVE_GUP_FAST</c> since
        /// "mm/treewide: rename CONFIG_HAVE_FAST_GUP to CONFIG_HAVE_GUP_FAST" (25176ad09ca3, v6.10 merge window).
        /// </summary>
        public static string FastGupConfig(LinuxEra era) => era == LinuxEra.V6_1 ? "HAVE_FAST_GUP" : "HAVE_GUP_FAST";

        /// <summary>
        /// The Kconfig symbol of the low/high split PTE read: <c>GUP_GET_PTE_LOW_HIGH</c> in v6.1, <c>GUP_GET_PXX_LOW_HIGH</c>
        /// since "mm: Rename GUP_GET_PTE_LOW_HIGH" (6ca297d47846, with the x86 PAE <c>pmd_t</c> series after v6.1).
        /// </summary>
        public static string SplitReadConfig(LinuxEra era) => era == LinuxEra.V6_1 ? "GUP_GET_PTE_LOW_HIGH" : "GUP_GET_PXX_LOW_HIGH";

        /// <summary>
        /// The lockless walk of mm/gup.c: v6.1's <c>lockless_pages_from_mm</c> became <c>gup_fast</c> in "mm/gup: consistently
        /// name GUP-fast functions" (23babe1934d7, v6.10 merge window).
        /// </summary>
        public static string GupFastWalk(LinuxEra era) => era == LinuxEra.V6_1 ? "lockless_pages_from_mm" : "gup_fast";

        /// <summary>Its PTE level: v6.1's <c>gup_pte_range</c>, <c>gup_fast_pte_range</c> since 23babe1934d7.</summary>
        public static string GupFastPteRange(LinuxEra era) => GupFastRange(era, "pte");

        /// <summary>
        /// Its walk of one <paramref name="level"/> (pgd, p4d, pud, pmd, pte): v6.1's <c>gup_pmd_range</c> and so on,
        /// <c>gup_fast_pmd_range</c> since 23babe1934d7.
        /// </summary>
        public static string GupFastRange(LinuxEra era, string level) => (era == LinuxEra.V6_1 ? "gup_" : "gup_fast_") + level + "_range";

        /// <summary>Its huge leaf at <paramref name="level"/> (pmd, pud): v6.1's <c>gup_huge_pmd</c>, <c>gup_fast_pmd_leaf</c> since 23babe1934d7.</summary>
        public static string GupFastLeaf(LinuxEra era, string level) => era == LinuxEra.V6_1 ? "gup_huge_" + level : "gup_fast_" + level + "_leaf";

        /// <summary>
        /// Its speculative reference on a folio: v6.1's <c>try_grab_folio</c>, <c>try_grab_folio_fast</c> since "mm: gup:
        /// stop abusing try_grab_folio" (after v6.1; commit id not verified), which left <c>try_grab_folio</c> to the slow path.
        /// </summary>
        public static string GrabFolioFast(LinuxEra era) => era == LinuxEra.V6_1 ? "try_grab_folio" : "try_grab_folio_fast";
    }
}
