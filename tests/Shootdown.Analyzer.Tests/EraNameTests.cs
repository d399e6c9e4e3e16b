using System.Linq;

namespace Shootdown.Analyzer.Tests
{
    /// <summary>A rule message names Linux as the descriptor's era does (docs/linux-eras.md, "Names per era").</summary>
    public sealed class EraNameTests
    {
        private static readonly ArchDescriptor Probe = new("probe", Invalidation.Ipi, false, 3, 4096, 1, 64, 64, true,
            WalkerKind.CachesUpperLevels, false, GatherOptions.None, true, PteRead.SingleLoad);

        private static string Message(ArchDescriptor d, string id) => DescriptorRules.Check(d).Single(f => f.Id == id).Message;

        [Fact]
        public void The_torn_read_fix_names_the_split_read_option_of_the_era()
        {
            // 6ca297d47846 "mm: Rename GUP_GET_PTE_LOW_HIGH": after v6.1.
            var torn = Probe with { WordBits = 32 };
            var old = Message(torn with { Linux = LinuxEra.V6_1 }, DescriptorRules.TornPteRead);
            Assert.Contains("(GUP_GET_PTE_LOW_HIGH)", old, System.StringComparison.Ordinal);
            Assert.DoesNotContain("GUP_GET_PXX_LOW_HIGH", old, System.StringComparison.Ordinal);
            foreach (var era in new[] { LinuxEra.Stable, LinuxEra.Next })
            {
                var text = Message(torn with { Linux = era }, DescriptorRules.TornPteRead);
                Assert.Contains("(GUP_GET_PXX_LOW_HIGH)", text, System.StringComparison.Ordinal);
                Assert.DoesNotContain("GUP_GET_PTE_LOW_HIGH", text, System.StringComparison.Ordinal);
            }
        }

        [Fact]
        public void The_special_bit_warning_names_the_fast_gup_walk_of_the_era()
        {
            // 23babe1934d7 "mm/gup: consistently name GUP-fast functions": v6.10 merge window.
            var nospecial = Probe with { PteSpecial = false };
            var old = Message(nospecial with { Linux = LinuxEra.V6_1 }, DescriptorRules.FastGupWithoutSpecial);
            Assert.Contains("lockless_pages_from_mm", old, System.StringComparison.Ordinal);
            Assert.Contains("(gup_pte_range takes none)", old, System.StringComparison.Ordinal);
            Assert.DoesNotContain("gup_fast", old, System.StringComparison.Ordinal);
            var stable = Message(nospecial with { Linux = LinuxEra.Stable }, DescriptorRules.FastGupWithoutSpecial);
            Assert.Contains(") gup_fast cannot", stable, System.StringComparison.Ordinal);
            Assert.Contains("(gup_fast_pte_range takes none)", stable, System.StringComparison.Ordinal);
            Assert.DoesNotContain("lockless_pages_from_mm", stable, System.StringComparison.Ordinal);
        }

        [Fact]
        public void Fast_gup_levels_leaves_and_folio_grab_are_named_as_each_era_spells_them()
        {
            // 23babe1934d7 renamed the levels and leaves; try_grab_folio_fast split from try_grab_folio after v6.1.
            Assert.Equal("gup_pmd_range", EraNames.GupFastRange(LinuxEra.V6_1, "pmd"));
            Assert.Equal("gup_huge_pud", EraNames.GupFastLeaf(LinuxEra.V6_1, "pud"));
            Assert.Equal("try_grab_folio", EraNames.GrabFolioFast(LinuxEra.V6_1));
            foreach (var era in new[] { LinuxEra.Stable, LinuxEra.Next })
            {
                Assert.Equal("gup_fast_pmd_range", EraNames.GupFastRange(era, "pmd"));
                Assert.Equal("gup_fast_pud_leaf", EraNames.GupFastLeaf(era, "pud"));
                Assert.Equal("try_grab_folio_fast", EraNames.GrabFolioFast(era));
                Assert.Equal(EraNames.GupFastRange(era, "pte"), EraNames.GupFastPteRange(era));
            }
        }

        [Fact]
        public void Fast_gup_config_is_named_as_each_era_spells_it()
        {
            // 25176ad09ca3 "mm/treewide: rename CONFIG_HAVE_FAST_GUP to CONFIG_HAVE_GUP_FAST": v6.10 merge window.
            Assert.Equal("HAVE_FAST_GUP", EraNames.FastGupConfig(LinuxEra.V6_1));
            Assert.Equal("HAVE_GUP_FAST", EraNames.FastGupConfig(LinuxEra.Stable));
            Assert.Equal("HAVE_GUP_FAST", EraNames.FastGupConfig(LinuxEra.Next));
        }
    }
}
