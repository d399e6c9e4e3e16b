using System.Threading.Tasks;
using Shootdown.Analyzer.Tests.Harness;
using static Shootdown.Analyzer.Tests.Harness.Descriptors;

namespace Shootdown.Analyzer.Tests
{
    /// <summary>Each code fix with its before and after, and the rules that get no fix.</summary>
    public sealed class CodeFixTests
    {
        [Fact]
        public Task Shd001_adds_table_free_to_an_existing_gather() => CodeFixCheck.VerifyAsync(
            Class(pageTables: "[PageTables(4, {|SHD001:FragmentsPerPage = 2|})]", gather: "[Gather(GatherOptions.MergeVmas)]"),
            Class(pageTables: "[PageTables(4, FragmentsPerPage = 2)]", gather: "[Gather(GatherOptions.MergeVmas | GatherOptions.TableFree)]"),
            title: "Add GatherOptions.TableFree (MMU_GATHER_TABLE_FREE)");

        [Fact]
        public Task Shd001_adds_the_gather_attribute_when_there_is_none() => CodeFixCheck.VerifyAsync(
            Class(pageTables: "[PageTables(4, {|SHD001:FragmentsPerPage = 2|})]", gather: null, walker: null),
            "using Shootdown;\n\nnamespace Archs\n{\n    [Architecture(\"demo\")]\n    [Gather(GatherOptions.TableFree)]\n    [TlbInvalidation(Invalidation.Ipi)]\n    [PageTables(4, FragmentsPerPage = 2)]\n    [PteFormat(64, 64, SpecialBit = true)]\n    public static partial class Demo\n    {\n    }\n}\n");

        [Fact]
        public Task Shd001_added_attribute_is_fully_qualified_without_a_using() => CodeFixCheck.VerifyAsync(
            "[Shootdown.Architecture(\"demo\")]\n[Shootdown.TlbInvalidation(Shootdown.Invalidation.Ipi)]\n[Shootdown.PageTables(4, {|SHD001:FragmentsPerPage = 2|})]\n[Shootdown.PteFormat(64, 64, SpecialBit = true)]\npublic static partial class Demo { }\n",
            "[Shootdown.Architecture(\"demo\")]\n[global::Shootdown.Gather(global::Shootdown.GatherOptions.TableFree)]\n[Shootdown.TlbInvalidation(Shootdown.Invalidation.Ipi)]\n[Shootdown.PageTables(4, FragmentsPerPage = 2)]\n[Shootdown.PteFormat(64, 64, SpecialBit = true)]\npublic static partial class Demo { }\n");

        [Fact]
        public Task Shd001_replaces_none() => CodeFixCheck.VerifyAsync(
            Class(pageTables: "[PageTables(4, {|SHD001:FragmentsPerPage = 2|})]", gather: "[Gather(GatherOptions.None)]"),
            Class(pageTables: "[PageTables(4, FragmentsPerPage = 2)]", gather: "[Gather(GatherOptions.TableFree)]"));

        [Fact]
        public Task Shd002_adds_rcu_table_free() => CodeFixCheck.VerifyAsync(
            Class(invalidation: "[TlbInvalidation({|SHD002:Invalidation.HardwareBroadcast|})]", fastGup: "[FastGup]"),
            Class(invalidation: "[TlbInvalidation(Invalidation.HardwareBroadcast)]", fastGup: "[FastGup]",
                gather: "[Gather(GatherOptions.RcuTableFree)]"),
            title: "Add GatherOptions.RcuTableFree (MMU_GATHER_RCU_TABLE_FREE)");

        [Fact]
        public Task Shd002_keeps_the_qualifier_the_user_wrote() => CodeFixCheck.VerifyAsync(
            Class(invalidation: "[TlbInvalidation({|SHD002:Invalidation.HardwareBroadcast|})]", fastGup: "[FastGup]",
                gather: "[Gather(Shootdown.GatherOptions.MergeVmas)]"),
            Class(invalidation: "[TlbInvalidation(Invalidation.HardwareBroadcast)]", fastGup: "[FastGup]",
                gather: "[Gather(Shootdown.GatherOptions.MergeVmas | Shootdown.GatherOptions.RcuTableFree)]"));

        [Fact]
        public Task Shd003_removes_no_table_invalidate_from_a_combination() => CodeFixCheck.VerifyAsync(
            Class(gather: "[Gather({|SHD003:GatherOptions.RcuTableFree | GatherOptions.NoTableInvalidate | GatherOptions.MergeVmas|})]", fastGup: "[FastGup]"),
            Class(gather: "[Gather(GatherOptions.RcuTableFree | GatherOptions.MergeVmas)]", fastGup: "[FastGup]"),
            title: "Remove GatherOptions.NoTableInvalidate");

        [Fact]
        public Task Shd003_removes_through_parentheses() => CodeFixCheck.VerifyAsync(
            Class(gather: "[Gather({|SHD003:(GatherOptions.NoTableInvalidate | GatherOptions.RcuTableFree)|})]", fastGup: "[FastGup]"),
            Class(gather: "[Gather(GatherOptions.RcuTableFree)]", fastGup: "[FastGup]"));

        [Fact]
        public Task Shd004_removes_no_gather() => CodeFixCheck.VerifyAsync(
            Class(gather: "[Gather({|SHD004:GatherOptions.TableFree | GatherOptions.NoGather|})]"),
            Class(gather: "[Gather(GatherOptions.TableFree)]"),
            title: "Remove GatherOptions.NoGather");

        [Fact]
        public Task Shd004_rewrites_a_cast_value_as_named_options() => CodeFixCheck.VerifyAsync(
            Class(gather: "[Gather({|SHD004:(GatherOptions)65|})]"),
            Class(gather: "[Gather(GatherOptions.TableFree)]"));

        [Fact]
        public Task Shd005_writes_the_split_read_into_a_bare_fast_gup() => CodeFixCheck.VerifyAsync(
            Class(pageTables: "[PageTables(3)]", pteFormat: "[PteFormat(64, 32, SpecialBit = true)]", fastGup: "[{|SHD005:FastGup|}]"),
            Class(pageTables: "[PageTables(3)]", pteFormat: "[PteFormat(64, 32, SpecialBit = true)]", fastGup: "[FastGup(PteRead.LowHighSplit)]"),
            title: "Read the PTE with PteRead.LowHighSplit (GUP_GET_PXX_LOW_HIGH)");

        [Fact]
        public Task Shd005_fix_title_names_the_split_read_as_v6_1_spells_it() => CodeFixCheck.VerifyAsync(
            // 6ca297d47846 "mm: Rename GUP_GET_PTE_LOW_HIGH" came after v6.1 (docs/linux-eras.md, "Names per era").
            Class(architecture: "[Architecture(\"demo\", Linux = LinuxEra.V6_1)]", pageTables: "[PageTables(3)]",
                pteFormat: "[PteFormat(64, 32, SpecialBit = true)]", fastGup: "[{|SHD005:FastGup|}]"),
            Class(architecture: "[Architecture(\"demo\", Linux = LinuxEra.V6_1)]", pageTables: "[PageTables(3)]",
                pteFormat: "[PteFormat(64, 32, SpecialBit = true)]", fastGup: "[FastGup(PteRead.LowHighSplit)]"),
            title: "Read the PTE with PteRead.LowHighSplit (GUP_GET_PTE_LOW_HIGH)");

        [Fact]
        public Task Shd005_replaces_a_written_single_load() => CodeFixCheck.VerifyAsync(
            Class(pageTables: "[PageTables(3)]", pteFormat: "[PteFormat(64, 32, SpecialBit = true)]", fastGup: "[FastGup({|SHD005:read: PteRead.SingleLoad|})]"),
            Class(pageTables: "[PageTables(3)]", pteFormat: "[PteFormat(64, 32, SpecialBit = true)]", fastGup: "[FastGup(read: PteRead.LowHighSplit)]"));

        [Fact]
        public Task Shd006_replaces_rcu_table_free_with_table_free_in_place() => CodeFixCheck.VerifyAsync(
            Class(gather: "[Gather({|SHD006:GatherOptions.RcuTableFree | GatherOptions.MergeVmas|})]"),
            Class(gather: "[Gather(GatherOptions.TableFree | GatherOptions.MergeVmas)]"),
            title: "Replace GatherOptions.RcuTableFree with GatherOptions.TableFree");

        [Fact]
        public Task Shd006_removes_no_table_invalidate_with_rcu_table_free_so_no_shd101_follows() => CodeFixCheck.VerifyAsync(
            Class(walker: "[HardwareWalker(WalkerKind.None)]", gather: "[Gather({|SHD006:GatherOptions.RcuTableFree | GatherOptions.NoTableInvalidate|})]"),
            Class(walker: "[HardwareWalker(WalkerKind.None)]", gather: "[Gather(GatherOptions.TableFree)]"));

        [Fact]
        public Task Shd101_writes_unknown_bits_of_a_complement_in_parentheses() => CodeFixCheck.VerifyAsync(
            Class(walker: "[HardwareWalker(WalkerKind.None)]", gather: "[Gather({|SHD101:{|SHD111:~GatherOptions.RcuTableFree|}|})]", declaration: Refused),
            Class(walker: "[HardwareWalker(WalkerKind.None)]", gather: "[Gather({|SHD111:GatherOptions.TableFree | GatherOptions.RcuTableFree | GatherOptions.NoTableInvalidate | GatherOptions.NoRange | GatherOptions.MergeVmas | GatherOptions.NoFlushCache | GatherOptions.NoGather | GatherOptions.PageSize | ((GatherOptions)(-256))|})]",
                declaration: Refused));

        [Fact]
        public Task Shd006_drops_rcu_table_free_when_table_free_is_already_there() => CodeFixCheck.VerifyAsync(
            Class(gather: "[Gather({|SHD006:GatherOptions.TableFree | GatherOptions.RcuTableFree|})]"),
            Class(gather: "[Gather(GatherOptions.TableFree)]"));

        [Fact]
        public Task Shd008_switches_to_the_single_load() => CodeFixCheck.VerifyAsync(
            Class(fastGup: "[FastGup({|SHD008:PteRead.LowHighSplit|})]"),
            Class(fastGup: "[FastGup(PteRead.SingleLoad)]"),
            title: "Read the PTE with PteRead.SingleLoad");

        [Fact]
        public Task Shd100_adds_table_free() => CodeFixCheck.VerifyAsync(
            Class(invalidation: "[TlbInvalidation(Invalidation.HardwareBroadcast, SynchronousOnClear = true)]", gather: "[Gather({|SHD100:GatherOptions.NoGather|})]", declaration: Refused),
            Class(invalidation: "[TlbInvalidation(Invalidation.HardwareBroadcast, SynchronousOnClear = true)]", gather: "[Gather(GatherOptions.NoGather | GatherOptions.TableFree)]"));

        [Fact]
        public Task Shd100_or_removes_no_gather() => CodeFixCheck.VerifyAsync(
            Class(invalidation: "[TlbInvalidation(Invalidation.HardwareBroadcast, SynchronousOnClear = true)]", gather: "[Gather({|SHD100:GatherOptions.NoGather|})]", declaration: Refused),
            Class(invalidation: "[TlbInvalidation(Invalidation.HardwareBroadcast, SynchronousOnClear = true)]", gather: "[Gather(GatherOptions.None)]"),
            key: "SHD100.RemoveNoGather", title: "Remove GatherOptions.NoGather");

        [Fact]
        public async Task Shd100_without_a_synchronous_clear_offers_only_the_removal_since_table_free_would_leave_shd004()
        {
            var before = Class(gather: "[Gather({|SHD100:{|SHD004:GatherOptions.NoGather|}|})]", declaration: Refused);
            await CodeFixCheck.VerifyAsync(before, Class(gather: "[Gather(GatherOptions.None)]"), title: "Remove GatherOptions.NoGather");
            await new CodeFixCheck(before, before) { CodeActionEquivalenceKey = "SHD100.AddTableFree" }.RunAsync();
        }

        [Fact]
        public Task Shd106_offers_nothing_where_partial_would_merge_a_record_part_with_a_class_part() => CodeFixCheck.VerifyNoFixAsync(
            Class(declaration: "public partial record Demo") + "namespace Archs\n{\n    public class {|CS0101:Demo|}\n    {\n    }\n}\n");

        [Fact]
        public Task Shd106_offers_nothing_where_partial_would_merge_a_sealed_part_with_a_static_part() => CodeFixCheck.VerifyNoFixAsync(
            // "partial" on the static part would make one class both static and sealed (CS0441).
            Class(declaration: "public sealed partial class {|SHD106:{|SHD116:Demo|}|}") + "namespace Archs\n{\n    public static class {|CS0260:Demo|}\n    {\n    }\n}\n");

        [Fact]
        public Task Shd101_adds_rcu_table_free() => CodeFixCheck.VerifyAsync(
            Class(walker: null, fastGup: "[FastGup]", gather: "[Gather({|SHD101:GatherOptions.NoTableInvalidate|})]", declaration: Refused),
            Class(walker: null, fastGup: "[FastGup]", gather: "[Gather(GatherOptions.NoTableInvalidate | GatherOptions.RcuTableFree)]"),
            key: "SHD101.AddRcuTableFree", title: "Add GatherOptions.RcuTableFree (MMU_GATHER_RCU_TABLE_FREE)");

        [Fact]
        public Task Shd101_or_removes_no_table_invalidate() => CodeFixCheck.VerifyAsync(
            Class(walker: null, gather: "[Gather({|SHD101:GatherOptions.NoTableInvalidate|})]", declaration: Refused),
            Class(walker: null, gather: "[Gather(GatherOptions.None)]"),
            key: "SHD101.RemoveNoTableInvalidate", title: "Remove GatherOptions.NoTableInvalidate");

        [Fact]
        public Task Shd106_makes_the_class_partial() => CodeFixCheck.VerifyAsync(
            Class(declaration: "public static class {|SHD106:{|SHD116:Demo|}|}"),
            Class(declaration: "public static partial class Demo"),
            title: "Make 'Demo' partial");

        [Fact]
        public Task Shd106_makes_a_class_without_modifiers_partial() => CodeFixCheck.VerifyAsync(
            Class(declaration: "class {|SHD106:{|SHD116:Demo|}|}"),
            Class(declaration: "partial class Demo"));

        [Fact]
        public Task Shd108_makes_every_enclosing_type_partial() => CodeFixCheck.VerifyAsync(
            "using Shootdown;\n\npublic class Outermost\n{\n    internal static class Outer\n    {\n        [Architecture(\"demo\")]\n        [TlbInvalidation(Invalidation.Ipi)]\n        [PageTables(4)]\n        [PteFormat(64, 64, SpecialBit = true)]\n        public static partial class {|SHD108:{|SHD116:Demo|}|} { }\n    }\n}\n",
            "using Shootdown;\n\npublic partial class Outermost\n{\n    internal static partial class Outer\n    {\n        [Architecture(\"demo\")]\n        [TlbInvalidation(Invalidation.Ipi)]\n        [PageTables(4)]\n        [PteFormat(64, 64, SpecialBit = true)]\n        public static partial class Demo { }\n    }\n}\n",
            title: "Make the types enclosing 'Demo' partial");

        [Fact]
        public Task Shd109_duplicate_name_has_no_fix() => CodeFixCheck.VerifyNoFixAsync(
            Class(architecture: "[Architecture({|SHD109:\"demo\"|})]", declaration: "public static partial class One")
            + Class(architecture: "[Architecture({|SHD109:\"demo\"|})]", declaration: "public static partial class Two").Replace(Usings, "", System.StringComparison.Ordinal));

        [Fact]
        public Task Shd103_bad_levels_have_no_fix() => CodeFixCheck.VerifyNoFixAsync(Class(pageTables: "[PageTables({|SHD103:7|})]", declaration: Refused));

        [Fact]
        public Task Shd111_garbage_gather_bits_have_no_fix() => CodeFixCheck.VerifyNoFixAsync(Class(gather: "[Gather({|SHD111:(GatherOptions)999|})]", declaration: Refused));

        [Fact]
        public Task Shd007_missing_special_bit_has_no_fix() => CodeFixCheck.VerifyNoFixAsync(
            Class(pteFormat: "[PteFormat(64, 64)]", fastGup: "[{|SHD007:FastGup|}]"));
    }
}
