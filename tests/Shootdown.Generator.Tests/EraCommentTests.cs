using System.Linq;
using Shootdown.Generator.Tests.Infrastructure;

namespace Shootdown.Generator.Tests
{
    /// <summary>
    /// Generated comments name Linux's functions and Kconfig symbols as the descriptor's era spells them (EraNames,
    /// docs/linux-eras.md "Names per era"): a <c>LinuxEra.V6_1</c> class gets v6.1's, every later era today's.
    /// </summary>
    public sealed class EraCommentTests
    {
        // v6.1's names, each renamed after it: 23babe1934d7 "mm/gup: consistently name GUP-fast functions" (the walk,
        // its levels and leaves), 6ca297d47846 "mm: Rename GUP_GET_PTE_LOW_HIGH", and try_grab_folio_fast.
        private static readonly string[] V61 =
            { "// lockless_pages_from_mm (mm/gup.c)", "// gup_pte_range", "// gup_pmd_range", "// gup_pgd_range", "// gup_huge_pmd, gup_huge_pud:",
              "(GUP_GET_PTE_LOW_HIGH)", "// try_grab_folio(page, 1)", "<c>lockless_pages_from_mm</c> of" };

        private static readonly string[] Today =
            { "// gup_fast (mm/gup.c)", "// gup_fast_pte_range", "// gup_fast_pmd_range", "// gup_fast_pgd_range", "// gup_fast_pmd_leaf, gup_fast_pud_leaf:",
              "(GUP_GET_PXX_LOW_HIGH)", "// try_grab_folio_fast(page, 1)", "<c>gup_fast</c> of" };

        private static string FastGup(string era, bool special = true)
        {
            var source = new SourceFile("Era/Pae.cs",
                "using Shootdown;\n\nnamespace Descriptors.Era\n{\n" +
                "    [Architecture(\"pae-" + era.ToLowerInvariant() + "\", Linux = LinuxEra." + era + ")]\n" +
                "    [TlbInvalidation(Invalidation.Ipi)]\n" +
                "    [PageTables(3)]\n" +
                "    [PteFormat(64, 32" + (special ? ", SpecialBit = true" : "") + ")]\n" +
                "    [HardwareWalker(WalkerKind.CachesUpperLevels)]\n" +
                "    [Gather(GatherOptions.RcuTableFree)]\n" +
                "    [FastGup(PteRead.LowHighSplit)]\n" +
                "    public static partial class Pae\n    {\n    }\n}\n");
            var run = GeneratorHarness.Run(new[] { source });
            run.AssertNoGeneratorFailure();
            return run.Files.Single(f => f.HintName.EndsWith(".FastGup.g.cs", System.StringComparison.Ordinal)).Text;
        }

        [Fact]
        public void A_v6_1_descriptor_gets_the_v6_1_names_in_its_fast_gup_comments()
        {
            var text = FastGup("V6_1");
            foreach (var name in V61) Assert.Contains(name, text, System.StringComparison.Ordinal);
            foreach (var name in Today) Assert.DoesNotContain(name, text, System.StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("Stable")]
        [InlineData("Next")]
        public void Later_eras_get_todays_names(string era)
        {
            var text = FastGup(era);
            foreach (var name in Today) Assert.Contains(name, text, System.StringComparison.Ordinal);
            foreach (var name in V61) Assert.DoesNotContain(name, text, System.StringComparison.Ordinal);
        }

        [Fact]
        public void The_no_special_bit_note_names_the_pte_walk_of_the_era()
        {
            Assert.Contains("Without ARCH_HAS_PTE_SPECIAL gup_pte_range pins nothing", FastGup("V6_1", special: false), System.StringComparison.Ordinal);
            Assert.Contains("Without ARCH_HAS_PTE_SPECIAL gup_fast_pte_range pins nothing", FastGup("Stable", special: false), System.StringComparison.Ordinal);
        }
    }
}
