using System.Threading.Tasks;
using Shootdown.Analyzer.Tests.Harness;
using static Shootdown.Analyzer.Tests.Harness.Descriptors;

namespace Shootdown.Analyzer.Tests
{
    /// <summary>Each code fix with its before and after, and the rules that get no fix.</summary>
    public sealed class CodeFixTests
    {
        [Fact]
        public Task Shd001_adds_table_free_to_an_existing_gather() => CodeFixRunner.VerifyAsync(
            Class(pageTables: "[PageTables(4, FragmentsPerPage = 2)]", gather: "[Gather(GatherOptions.MergeVmas)]"),
            Class(pageTables: "[PageTables(4, FragmentsPerPage = 2)]", gather: "[Gather(GatherOptions.MergeVmas | GatherOptions.TableFree)]"),
            "SHD001", title: "Add GatherOptions.TableFree (MMU_GATHER_TABLE_FREE)");

        [Fact]
        public Task Shd001_adds_the_gather_attribute_when_there_is_none() => CodeFixRunner.VerifyAsync(
            Class(pageTables: "[PageTables(4, FragmentsPerPage = 2)]", gather: null, walker: null),
            "using Shootdown;\n\nnamespace Archs\n{\n    [Architecture(\"demo\")]\n    [Gather(GatherOptions.TableFree)]\n    [TlbInvalidation(Invalidation.Ipi)]\n    [PageTables(4, FragmentsPerPage = 2)]\n    [PteFormat(64, 64, SpecialBit = true)]\n    public static partial class Demo\n    {\n    }\n}\n",
            "SHD001");

        [Fact]
        public Task Shd001_added_attribute_is_fully_qualified_without_a_using() => CodeFixRunner.VerifyAsync(
            "[Shootdown.Architecture(\"demo\")]\n[Shootdown.TlbInvalidation(Shootdown.Invalidation.Ipi)]\n[Shootdown.PageTables(4, FragmentsPerPage = 2)]\n[Shootdown.PteFormat(64, 64, SpecialBit = true)]\npublic static partial class Demo { }\n",
            "[Shootdown.Architecture(\"demo\")]\n[global::Shootdown.Gather(global::Shootdown.GatherOptions.TableFree)]\n[Shootdown.TlbInvalidation(Shootdown.Invalidation.Ipi)]\n[Shootdown.PageTables(4, FragmentsPerPage = 2)]\n[Shootdown.PteFormat(64, 64, SpecialBit = true)]\npublic static partial class Demo { }\n",
            "SHD001");

        [Fact]
        public Task Shd001_replaces_none() => CodeFixRunner.VerifyAsync(
            Class(pageTables: "[PageTables(4, FragmentsPerPage = 2)]", gather: "[Gather(GatherOptions.None)]"),
            Class(pageTables: "[PageTables(4, FragmentsPerPage = 2)]", gather: "[Gather(GatherOptions.TableFree)]"),
            "SHD001");

        [Fact]
        public Task Shd002_adds_rcu_table_free() => CodeFixRunner.VerifyAsync(
            Class(invalidation: "[TlbInvalidation(Invalidation.HardwareBroadcast)]", fastGup: "[FastGup]"),
            Class(invalidation: "[TlbInvalidation(Invalidation.HardwareBroadcast)]", fastGup: "[FastGup]",
                gather: "[Gather(GatherOptions.RcuTableFree)]"),
            "SHD002", title: "Add GatherOptions.RcuTableFree (MMU_GATHER_RCU_TABLE_FREE)");

        [Fact]
        public Task Shd002_keeps_the_qualifier_the_user_wrote() => CodeFixRunner.VerifyAsync(
            Class(invalidation: "[TlbInvalidation(Invalidation.HardwareBroadcast)]", fastGup: "[FastGup]",
                gather: "[Gather(Shootdown.GatherOptions.MergeVmas)]"),
            Class(invalidation: "[TlbInvalidation(Invalidation.HardwareBroadcast)]", fastGup: "[FastGup]",
                gather: "[Gather(Shootdown.GatherOptions.MergeVmas | Shootdown.GatherOptions.RcuTableFree)]"),
            "SHD002");

        [Fact]
        public Task Shd003_removes_no_table_invalidate_from_a_combination() => CodeFixRunner.VerifyAsync(
            Class(gather: "[Gather(GatherOptions.RcuTableFree | GatherOptions.NoTableInvalidate | GatherOptions.MergeVmas)]", fastGup: "[FastGup]"),
            Class(gather: "[Gather(GatherOptions.RcuTableFree | GatherOptions.MergeVmas)]", fastGup: "[FastGup]"),
            "SHD003", title: "Remove GatherOptions.NoTableInvalidate");

        [Fact]
        public Task Shd003_removes_through_parentheses() => CodeFixRunner.VerifyAsync(
            Class(gather: "[Gather((GatherOptions.NoTableInvalidate | GatherOptions.RcuTableFree))]", fastGup: "[FastGup]"),
            Class(gather: "[Gather(GatherOptions.RcuTableFree)]", fastGup: "[FastGup]"),
            "SHD003");

        [Fact]
        public Task Shd004_removes_no_gather() => CodeFixRunner.VerifyAsync(
            Class(gather: "[Gather(GatherOptions.TableFree | GatherOptions.NoGather)]"),
            Class(gather: "[Gather(GatherOptions.TableFree)]"),
            "SHD004", title: "Remove GatherOptions.NoGather");

        [Fact]
        public Task Shd004_rewrites_a_cast_value_as_named_options() => CodeFixRunner.VerifyAsync(
            Class(gather: "[Gather((GatherOptions)65)]"),
            Class(gather: "[Gather(GatherOptions.TableFree)]"),
            "SHD004");

        [Fact]
        public Task Shd005_writes_the_split_read_into_a_bare_fast_gup() => CodeFixRunner.VerifyAsync(
            Class(pageTables: "[PageTables(3)]", pteFormat: "[PteFormat(64, 32, SpecialBit = true)]", fastGup: "[FastGup]"),
            Class(pageTables: "[PageTables(3)]", pteFormat: "[PteFormat(64, 32, SpecialBit = true)]", fastGup: "[FastGup(PteRead.LowHighSplit)]"),
            "SHD005", title: "Read the PTE with PteRead.LowHighSplit (GUP_GET_PXX_LOW_HIGH)");

        [Fact]
        public Task Shd005_replaces_a_written_single_load() => CodeFixRunner.VerifyAsync(
            Class(pageTables: "[PageTables(3)]", pteFormat: "[PteFormat(64, 32, SpecialBit = true)]", fastGup: "[FastGup(read: PteRead.SingleLoad)]"),
            Class(pageTables: "[PageTables(3)]", pteFormat: "[PteFormat(64, 32, SpecialBit = true)]", fastGup: "[FastGup(read: PteRead.LowHighSplit)]"),
            "SHD005");

        [Fact]
        public Task Shd006_replaces_rcu_table_free_with_table_free_in_place() => CodeFixRunner.VerifyAsync(
            Class(gather: "[Gather(GatherOptions.RcuTableFree | GatherOptions.MergeVmas)]"),
            Class(gather: "[Gather(GatherOptions.TableFree | GatherOptions.MergeVmas)]"),
            "SHD006", title: "Replace GatherOptions.RcuTableFree with GatherOptions.TableFree");

        [Fact]
        public Task Shd006_removes_no_table_invalidate_with_rcu_table_free_so_no_shd101_follows() => CodeFixRunner.VerifyAsync(
            Class(walker: "[HardwareWalker(WalkerKind.None)]", gather: "[Gather(GatherOptions.RcuTableFree | GatherOptions.NoTableInvalidate)]"),
            Class(walker: "[HardwareWalker(WalkerKind.None)]", gather: "[Gather(GatherOptions.TableFree)]"),
            "SHD006");

        [Fact]
        public Task Shd101_writes_unknown_bits_of_a_complement_in_parentheses() => CodeFixRunner.VerifyAsync(
            Class(walker: "[HardwareWalker(WalkerKind.None)]", gather: "[Gather(~GatherOptions.RcuTableFree)]"),
            Class(walker: "[HardwareWalker(WalkerKind.None)]", gather: "[Gather(GatherOptions.TableFree | GatherOptions.RcuTableFree | GatherOptions.NoTableInvalidate | GatherOptions.NoRange | GatherOptions.MergeVmas | GatherOptions.NoFlushCache | GatherOptions.NoGather | GatherOptions.PageSize | ((GatherOptions)(-256)))]"),
            "SHD101");

        [Fact]
        public Task Shd006_drops_rcu_table_free_when_table_free_is_already_there() => CodeFixRunner.VerifyAsync(
            Class(gather: "[Gather(GatherOptions.TableFree | GatherOptions.RcuTableFree)]"),
            Class(gather: "[Gather(GatherOptions.TableFree)]"),
            "SHD006");

        [Fact]
        public Task Shd008_switches_to_the_single_load() => CodeFixRunner.VerifyAsync(
            Class(fastGup: "[FastGup(PteRead.LowHighSplit)]"),
            Class(fastGup: "[FastGup(PteRead.SingleLoad)]"),
            "SHD008", title: "Read the PTE with PteRead.SingleLoad");

        [Fact]
        public Task Shd100_adds_table_free() => CodeFixRunner.VerifyAsync(
            Class(invalidation: "[TlbInvalidation(Invalidation.HardwareBroadcast, SynchronousOnClear = true)]", gather: "[Gather(GatherOptions.NoGather)]"),
            Class(invalidation: "[TlbInvalidation(Invalidation.HardwareBroadcast, SynchronousOnClear = true)]", gather: "[Gather(GatherOptions.NoGather | GatherOptions.TableFree)]"),
            "SHD100");

        [Fact]
        public Task Shd101_adds_rcu_table_free() => CodeFixRunner.VerifyAsync(
            Class(walker: null, fastGup: "[FastGup]", gather: "[Gather(GatherOptions.NoTableInvalidate)]"),
            Class(walker: null, fastGup: "[FastGup]", gather: "[Gather(GatherOptions.NoTableInvalidate | GatherOptions.RcuTableFree)]"),
            "SHD101", index: 0, title: "Add GatherOptions.RcuTableFree (MMU_GATHER_RCU_TABLE_FREE)");

        [Fact]
        public Task Shd101_or_removes_no_table_invalidate() => CodeFixRunner.VerifyAsync(
            Class(walker: null, gather: "[Gather(GatherOptions.NoTableInvalidate)]"),
            Class(walker: null, gather: "[Gather(GatherOptions.None)]"),
            "SHD101", index: 1, title: "Remove GatherOptions.NoTableInvalidate");

        [Fact]
        public Task Shd106_makes_the_class_partial() => CodeFixRunner.VerifyAsync(
            Class(declaration: "public static class Demo"),
            Class(declaration: "public static partial class Demo"),
            "SHD106", title: "Make 'Demo' partial");

        [Fact]
        public Task Shd106_makes_a_class_without_modifiers_partial() => CodeFixRunner.VerifyAsync(
            Class(declaration: "class Demo"),
            Class(declaration: "partial class Demo"),
            "SHD106");

        [Fact]
        public Task Shd108_makes_every_enclosing_type_partial() => CodeFixRunner.VerifyAsync(
            "using Shootdown;\n\npublic class Outermost\n{\n    internal static class Outer\n    {\n        [Architecture(\"demo\")]\n        [TlbInvalidation(Invalidation.Ipi)]\n        [PageTables(4)]\n        [PteFormat(64, 64, SpecialBit = true)]\n        public static partial class Demo { }\n    }\n}\n",
            "using Shootdown;\n\npublic partial class Outermost\n{\n    internal static partial class Outer\n    {\n        [Architecture(\"demo\")]\n        [TlbInvalidation(Invalidation.Ipi)]\n        [PageTables(4)]\n        [PteFormat(64, 64, SpecialBit = true)]\n        public static partial class Demo { }\n    }\n}\n",
            "SHD108", title: "Make the types enclosing 'Demo' partial");

        [Fact]
        public Task Shd109_duplicate_name_has_no_fix() => CodeFixRunner.VerifyNoFixAsync(
            Class(declaration: "public static partial class One") + Class(declaration: "public static partial class Two").Replace(Usings, "", System.StringComparison.Ordinal),
            "SHD109");

        [Fact]
        public Task Shd103_bad_levels_have_no_fix() => CodeFixRunner.VerifyNoFixAsync(Class(pageTables: "[PageTables(7)]"), "SHD103");

        [Fact]
        public Task Shd111_garbage_gather_bits_have_no_fix() => CodeFixRunner.VerifyNoFixAsync(Class(gather: "[Gather((GatherOptions)999)]"), "SHD111");

        [Fact]
        public Task Shd007_missing_special_bit_has_no_fix() => CodeFixRunner.VerifyNoFixAsync(
            Class(pteFormat: "[PteFormat(64, 64)]", fastGup: "[FastGup]"), "SHD007");
    }
}
