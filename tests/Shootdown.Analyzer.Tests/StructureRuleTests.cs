using System.Threading.Tasks;
using Shootdown.Analyzer.Tests.Harness;
using static Shootdown.Analyzer.Tests.Harness.Descriptors;

namespace Shootdown.Analyzer.Tests
{
    /// <summary>The structural rules SHD100-SHD113: impossible values, class shape, names, attributes.</summary>
    public sealed class StructureRuleTests
    {
        [Fact]
        public Task Shd100_no_gather_without_table_free() => AnalyzerCheck.VerifyAsync(Class(
            // The race rule is well-defined beside the Kconfig one, so both come at once (SHD004: no synchronous clear).
            gather: "[Gather({|SHD100:{|SHD004:GatherOptions.NoGather|}|})]"));

        [Fact]
        public Task Shd100_no_gather_with_table_free_and_synchronous_clear_is_accepted() => AnalyzerCheck.VerifyAsync(Class(
            invalidation: "[TlbInvalidation(Invalidation.HardwareBroadcast, SynchronousOnClear = true)]",
            gather: "[Gather(GatherOptions.NoGather | GatherOptions.TableFree)]"));

        [Fact]
        public Task Shd101_no_table_invalidate_without_rcu_table_free() => AnalyzerCheck.VerifyAsync(Class(
            walker: null,
            gather: "[Gather({|SHD101:GatherOptions.TableFree | GatherOptions.NoTableInvalidate|})]"));

        [Fact]
        public Task Shd101_no_table_invalidate_with_rcu_table_free_is_accepted() => AnalyzerCheck.VerifyAsync(Class(
            walker: null,
            gather: "[Gather(GatherOptions.RcuTableFree | GatherOptions.NoTableInvalidate)]",
            fastGup: "[FastGup]"));

        [Fact]
        public Task Shd102_impossible_pte_width() => AnalyzerCheck.VerifyAsync(Class(
            pteFormat: "[PteFormat({|SHD102:48|}, 64, SpecialBit = true)]"));

        [Fact]
        public Task Shd102_impossible_word_width() => AnalyzerCheck.VerifyAsync(Class(
            pteFormat: "[PteFormat(64, {|SHD102:16|}, SpecialBit = true)]"));

        [Fact]
        public Task Shd102_pte_narrower_than_the_word() => AnalyzerCheck.VerifyAsync(Class(
            pteFormat: "[PteFormat({|SHD102:32|}, 64, SpecialBit = true)]"));

        [Fact]
        public Task Shd102_atomic_load_narrower_than_the_word() => AnalyzerCheck.VerifyAsync(Class(
            pteFormat: "[PteFormat(64, 64, SpecialBit = true, {|SHD102:AtomicLoadBits = 32|})]"));

        [Fact]
        public Task Shd102_atomic_load_of_an_impossible_width() => AnalyzerCheck.VerifyAsync(Class(
            pageTables: "[PageTables(3)]", pteFormat: "[PteFormat(64, 32, {|SHD102:AtomicLoadBits = 48|})]"));

        [Fact]
        public Task Shd102_wide_pte_on_a_narrow_word_is_a_real_machine() => AnalyzerCheck.VerifyAsync(Class(
            pageTables: "[PageTables(3)]", pteFormat: "[PteFormat(64, 32)]"));

        [Fact]
        public Task Shd103_six_levels() => AnalyzerCheck.VerifyAsync(Class(pageTables: "[PageTables({|SHD103:6|})]"));

        [Fact]
        public Task Shd103_one_level() => AnalyzerCheck.VerifyAsync(Class(pageTables: "[PageTables({|SHD103:levels: 1|})]"));

        [Fact]
        public async Task Shd103_two_and_five_levels_are_accepted()
        {
            await AnalyzerCheck.VerifyAsync(Class(pageTables: "[PageTables(2)]"));
            await AnalyzerCheck.VerifyAsync(Class(pageTables: "[PageTables(5)]"));
        }

        [Fact]
        public Task Shd103_more_address_bits_than_a_64_bit_address_has() => AnalyzerCheck.VerifyAsync(Class(
            pageTables: "[PageTables({|SHD103:5|}, PageSize = 65536)]"));

        [Fact]
        public Task Shd103_more_levels_than_a_32_bit_address_has_room_for() => AnalyzerCheck.VerifyAsync(Class(
            pageTables: "[PageTables({|SHD103:4|})]", pteFormat: "[PteFormat(64, 32, SpecialBit = true)]", fastGup: "[FastGup(PteRead.LowHighSplit)]"));

        [Fact]
        public async Task Shd103_pae_and_two_level_32_bit_tables_are_accepted()
        {
            await AnalyzerCheck.VerifyAsync(Class(pageTables: "[PageTables(3)]", pteFormat: "[PteFormat(64, 32, SpecialBit = true)]"));
            await AnalyzerCheck.VerifyAsync(Class(pageTables: "[PageTables(2)]", pteFormat: "[PteFormat(32, 32, SpecialBit = true)]"));
        }

        [Fact]
        public async Task Shd103_exactly_64_address_bits_are_accepted()
        {
            // powerpc64 hash: 64 KiB pages, 4 KiB PTE fragments, 4 levels: 16 + 9 + 3 * 13 = 64 bits.
            await AnalyzerCheck.VerifyAsync(Class(pageTables: "[PageTables(4, PageSize = 65536, FragmentsPerPage = 16)]",
                gather: "[Gather(GatherOptions.TableFree)]"));
        }

        [Fact]
        public Task Shd104_page_size_not_a_power_of_two() => AnalyzerCheck.VerifyAsync(Class(
            pageTables: "[PageTables(4, {|SHD104:PageSize = 12288|})]"));

        [Fact]
        public Task Shd104_page_size_too_large() => AnalyzerCheck.VerifyAsync(Class(
            pageTables: "[PageTables(4, {|SHD104:PageSize = 131072|})]"));

        [Fact]
        public Task Shd104_64k_pages_are_accepted() => AnalyzerCheck.VerifyAsync(Class(pageTables: "[PageTables(3, PageSize = 65536)]"));

        [Fact]
        public Task Shd104_256k_pages_are_accepted() => AnalyzerCheck.VerifyAsync(Class(pageTables: "[PageTables(3, PageSize = 262144)]"));

        [Fact]
        public Task Shd104_256k_pages_on_a_32_bit_machine_are_accepted() => AnalyzerCheck.VerifyAsync(Class(
            // 44x with CONFIG_PPC_256K_PAGES: 64-bit PTEs, a PTE table a quarter of the page (PTE_SHIFT = PAGE_SHIFT - 3 - 2).
            pageTables: "[PageTables(2, PageSize = 262144, PtrsPerPte = 8192)]",
            pteFormat: "[PteFormat(64, 32, SpecialBit = true)]"));

        [Fact]
        public Task Shd105_three_fragments() => AnalyzerCheck.VerifyAsync(Class(
            pageTables: "[PageTables(4, {|SHD105:FragmentsPerPage = 3|})]"));

        [Fact]
        public Task Shd105_zero_fragments() => AnalyzerCheck.VerifyAsync(Class(
            pageTables: "[PageTables(4, {|SHD105:FragmentsPerPage = 0|})]"));

        [Fact]
        public Task Shd105_sixteen_fragments_are_accepted() => AnalyzerCheck.VerifyAsync(Class(
            pageTables: "[PageTables(4, FragmentsPerPage = 16)]"));

        [Fact]
        public Task Shd105_powerpc64_radix_64k_fragments_are_accepted() => AnalyzerCheck.VerifyAsync(Class(
            // RADIX_PTE_FRAG_NR 256 and RADIX_PMD_FRAG_NR 16 (arch/powerpc/include/asm/book3s/64/radix-64k.h).
            pageTables: "[PageTables(4, PageSize = 65536, FragmentsPerPage = 256, PmdFragmentsPerPage = 16, PtrsPerPud = 512)]"));

        [Fact]
        public Task Shd105_more_pte_fragments_than_linux_uses() => AnalyzerCheck.VerifyAsync(Class(
            pageTables: "[PageTables(4, PageSize = 65536, {|SHD105:FragmentsPerPage = 512|})]"));

        [Fact]
        public Task Shd105_more_pmd_fragments_than_linux_uses() => AnalyzerCheck.VerifyAsync(Class(
            pageTables: "[PageTables(4, PageSize = 65536, {|SHD105:PmdFragmentsPerPage = 32|})]"));

        [Fact]
        public Task Shd105_pmd_fragments_not_a_power_of_two() => AnalyzerCheck.VerifyAsync(Class(
            pageTables: "[PageTables(4, {|SHD105:PmdFragmentsPerPage = 3|})]"));

        [Fact]
        public Task Shd105_pmd_fragments_without_a_pmd_level() => AnalyzerCheck.VerifyAsync(Class(
            pageTables: "[PageTables(2, {|SHD105:PmdFragmentsPerPage = 2|})]",
            pteFormat: "[PteFormat(32, 32, SpecialBit = true)]"));

        [Fact]
        public Task Shd114_a_pmd_table_larger_than_its_fragment() => AnalyzerCheck.VerifyAsync(Class(
            pageTables: "[PageTables(4, PageSize = 65536, PmdFragmentsPerPage = 16, {|SHD114:PtrsPerPmd = 1024|})]"));

        [Fact]
        public Task Shd114_ptrs_per_pte_not_a_power_of_two() => AnalyzerCheck.VerifyAsync(Class(
            pageTables: "[PageTables(4, {|SHD114:PtrsPerPte = 300|})]"));

        [Fact]
        public Task Shd114_pte_table_larger_than_its_fragment() => AnalyzerCheck.VerifyAsync(Class(
            pageTables: "[PageTables(5, FragmentsPerPage = 2, {|SHD114:PtrsPerPte = 512|})]",
            gather: "[Gather(GatherOptions.TableFree)]"));

        [Fact]
        public Task Shd114_a_pmd_table_of_thirty_two_pages() => AnalyzerCheck.VerifyAsync(Class(
            pageTables: "[PageTables(5, {|SHD114:PtrsPerPmd = 16384|})]"));

        [Fact]
        public Task Shd114_a_level_that_is_folded() => AnalyzerCheck.VerifyAsync(Class(
            pageTables: "[PageTables(3, {|SHD114:PtrsPerP4d = 512|}, {|SHD114:PtrsPerPud = 512|})]"));

        [Fact]
        public Task Shd114_s390_tables_are_accepted() => AnalyzerCheck.VerifyAsync(Class(
            pageTables: "[PageTables(5, PtrsPerPte = 256, PtrsPerPmd = 2048, PtrsPerPud = 2048, PtrsPerP4d = 2048, PtrsPerPgd = 2048)]"));

        [Fact]
        public Task Shd114_powerpc64_hash_tables_are_accepted() => AnalyzerCheck.VerifyAsync(Class(
            pageTables: "[PageTables(4, PageSize = 65536, FragmentsPerPage = 16, PtrsPerPte = 256, PtrsPerPmd = 1024, PtrsPerPud = 1024, PtrsPerPgd = 256)]",
            gather: "[Gather(GatherOptions.TableFree)]"));

        [Fact]
        public Task Shd106_not_partial_sits_on_the_class_name() => AnalyzerCheck.VerifyAsync(Class(
            declaration: "public static class {|SHD106:Demo|}"));

        [Fact]
        public Task Shd106_partial_record_is_accepted() => AnalyzerCheck.VerifyAsync(Class(
            declaration: "public sealed partial record Demo"));

        [Fact]
        public Task Shd107_generic() => AnalyzerCheck.VerifyAsync(Class(
            declaration: "public partial class {|SHD107:Demo|}<T>"));

        [Fact]
        public Task Shd107_non_generic_nested_in_partial_is_accepted() => AnalyzerCheck.VerifyAsync(
            "using Shootdown;\nnamespace Archs;\npublic static partial class Outer\n{\n    [Architecture(\"demo\")]\n    [TlbInvalidation(Invalidation.Ipi)]\n    [PageTables(4)]\n    [PteFormat(64, 64, SpecialBit = true)]\n    public static partial class Demo { }\n}\n");

        [Fact]
        public Task Shd108_nested_in_non_partial() => AnalyzerCheck.VerifyAsync(
            "using Shootdown;\nnamespace Archs;\npublic static class Outer\n{\n    [Architecture(\"demo\")]\n    [TlbInvalidation(Invalidation.Ipi)]\n    [PageTables(4)]\n    [PteFormat(64, 64, SpecialBit = true)]\n    public static partial class {|SHD108:Demo|} { }\n}\n");

        [Fact]
        public Task Shd108_only_the_first_non_partial_container_is_reported() => AnalyzerCheck.VerifyAsync(
            "using Shootdown;\nnamespace Archs;\npublic class Outermost\n{\n    public class Outer\n    {\n        [Architecture(\"demo\")]\n        [TlbInvalidation(Invalidation.Ipi)]\n        [PageTables(4)]\n        [PteFormat(64, 64, SpecialBit = true)]\n        public static partial class {|SHD108:Demo|} { }\n    }\n}\n");

        [Fact]
        public Task Shd109_duplicate_names_are_reported_on_each_name_argument() => AnalyzerCheck.VerifyAsync(
            Class(architecture: "[Architecture({|SHD109:\"arm64\"|})]", declaration: "public static partial class One"),
            Class(architecture: "[Architecture({|SHD109:\"arm64\"|})]", declaration: "public static partial class Two"));

        [Fact]
        public Task Shd109_names_differing_in_case_are_distinct() => AnalyzerCheck.VerifyAsync(
            Class(architecture: "[Architecture(\"arm64\")]", declaration: "public static partial class One"),
            Class(architecture: "[Architecture(\"ARM64\")]", declaration: "public static partial class Two"));

        [Fact]
        public Task Shd110_missing_pte_format() => AnalyzerCheck.VerifyAsync(Class(
            pteFormat: null, declaration: "public static partial class {|SHD110:Demo|}"));

        [Fact]
        public Task Shd110_each_missing_aspect_is_reported() => AnalyzerCheck.VerifyAsync(Class(
            invalidation: null, pageTables: null, pteFormat: null, walker: null, gather: null,
            declaration: "public static partial class {|SHD110:{|SHD110:{|SHD110:Demo|}|}|}"));

        [Fact]
        public Task Shd110_optional_aspects_may_be_left_out() => AnalyzerCheck.VerifyAsync(Class(walker: null, gather: null));

        [Fact]
        public Task Shd111_empty_name() => AnalyzerCheck.VerifyAsync(Class(architecture: "[Architecture({|SHD111:\"  \"|})]"));

        [Fact]
        public Task Shd111_null_name_is_reported_once() => AnalyzerCheck.VerifyAsync(Class(architecture: "[Architecture({|SHD111:null!|})]"));

        [Fact]
        public Task Shd111_undefined_gather_bits() => AnalyzerCheck.VerifyAsync(Class(gather: "[Gather({|SHD111:(GatherOptions)999|})]"));

        [Fact]
        public Task Shd111_undefined_enum_values() => AnalyzerCheck.VerifyAsync(Class(
            invalidation: "[TlbInvalidation({|SHD111:(Invalidation)7|})]",
            walker: "[HardwareWalker({|SHD111:(WalkerKind)(-1)|})]",
            fastGup: "[FastGup({|SHD111:(PteRead)3|})]"));

        [Fact]
        public Task Shd111_defined_values_through_casts_are_accepted() => AnalyzerCheck.VerifyAsync(Class(
            invalidation: "[TlbInvalidation((Invalidation)0)]",
            gather: "[Gather((GatherOptions)1)]"));

        [Fact]
        public Task Shd112_aspect_without_architecture_sits_on_each_aspect() => AnalyzerCheck.VerifyAsync(
            Usings + "public static class Plain { }\n[{|SHD112:Gather(GatherOptions.TableFree)|}]\n[{|SHD112:FastGup|}]\npublic static class Forgotten { }\n");

        [Fact]
        public Task Shd112_unrelated_attributes_are_ignored() => AnalyzerCheck.VerifyAsync(
            Usings + "[System.Obsolete(\"old\")]\npublic static class Plain { }\n");

        [Fact]
        public Task Shd113_synchronous_clear_with_ipi() => AnalyzerCheck.VerifyAsync(Class(
            invalidation: "[TlbInvalidation(Invalidation.Ipi, {|SHD113:SynchronousOnClear = true|})]"));

        [Fact]
        public Task Shd113_synchronous_clear_with_broadcast_is_s390() => AnalyzerCheck.VerifyAsync(Class(
            invalidation: "[TlbInvalidation(Invalidation.HardwareBroadcast, SynchronousOnClear = true)]"));

        [Fact]
        public Task Structure_errors_hide_the_race_rules_they_make_meaningless() => AnalyzerCheck.VerifyAsync(Class(
            pageTables: "[PageTables({|SHD103:9|}, FragmentsPerPage = 2)]",
            gather: null));

        [Fact]
        public Task Compiler_errors_on_attributes_are_left_to_the_compiler() => AnalyzerCheck.VerifyAsync(Class(
            pteFormat: "[{|CS7036:PteFormat(64)|}]"));
    }
}
