using System.Threading.Tasks;
using Shootdown.Analyzer.Tests.Harness;
using static Shootdown.Analyzer.Tests.Harness.Descriptors;

namespace Shootdown.Analyzer.Tests
{
    /// <summary>
    /// Fix All in a document, a project and the solution, with the number of passes each takes: one pass per scope that holds
    /// the diagnostics, where fixing them one at a time takes one pass per diagnostic.
    /// </summary>
    public sealed class FixAllTests
    {
        private static string Fragments(string name, string declaration) => Class(
            architecture: $"[Architecture(\"{name}\")]", pageTables: "[PageTables(4, {|SHD001:FragmentsPerPage = 2|})]", gather: null,
            declaration: declaration);

        private static string Fixed(string name, string declaration) =>
            $"using Shootdown;\n\nnamespace Archs\n{{\n    [Architecture(\"{name}\")]\n    [Gather(GatherOptions.TableFree)]\n    [TlbInvalidation(Invalidation.Ipi)]\n    [PageTables(4, FragmentsPerPage = 2)]\n    [PteFormat(64, 64, SpecialBit = true)]\n    [HardwareWalker(WalkerKind.CachesUpperLevels)]\n    {declaration}\n    {{\n    }}\n}}\n";

        [Fact]
        public Task Fix_all_in_the_project_fixes_every_document_in_one_pass()
        {
            var test = new CodeFixCheck(Fragments("a", "public static partial class A"), Fixed("a", "public static partial class A"))
            {
                CodeActionEquivalenceKey = "SHD001.AddTableFree",
                NumberOfIncrementalIterations = 2,
                NumberOfFixAllInDocumentIterations = 2,
                NumberOfFixAllInProjectIterations = 1,
                NumberOfFixAllIterations = 1,
            };
            test.TestState.Sources.Add(Fragments("b", "public static partial class B"));
            test.FixedState.Sources.Add(Fixed("b", "public static partial class B"));
            return test.RunAsync();
        }

        [Fact]
        public Task Fix_all_in_the_document_fixes_each_class_of_the_document_in_one_pass()
        {
            var two = Fragments("a", "public static partial class A") + Fragments("b", "public static partial class B").Replace(Usings, "", System.StringComparison.Ordinal);
            var fixedTwo = Fixed("a", "public static partial class A") + Fixed("b", "public static partial class B").Replace(Usings, "", System.StringComparison.Ordinal);
            return new CodeFixCheck(two, fixedTwo)
            {
                NumberOfIncrementalIterations = 2,
                NumberOfFixAllIterations = 1,
            }.RunAsync();
        }

        [Fact]
        public Task Fix_all_with_the_second_fix_applies_that_fix_everywhere()
        {
            var test = new CodeFixCheck(
                Class(architecture: "[Architecture(\"a\")]", walker: null, gather: "[Gather({|SHD101:GatherOptions.NoTableInvalidate|})]", declaration: "public static partial class {|SHD116:A|}"),
                Class(architecture: "[Architecture(\"a\")]", walker: null, gather: "[Gather(GatherOptions.None)]", declaration: "public static partial class A"))
            {
                CodeActionEquivalenceKey = "SHD101.RemoveNoTableInvalidate",
                NumberOfIncrementalIterations = 2,
                NumberOfFixAllInDocumentIterations = 2,
                NumberOfFixAllInProjectIterations = 1,
                NumberOfFixAllIterations = 1,
            };
            test.TestState.Sources.Add(Class(architecture: "[Architecture(\"b\")]", walker: null,
                gather: "[Gather({|SHD101:GatherOptions.MergeVmas | GatherOptions.NoTableInvalidate|})]", declaration: "public static partial class {|SHD116:B|}"));
            test.FixedState.Sources.Add(Class(architecture: "[Architecture(\"b\")]", walker: null,
                gather: "[Gather(GatherOptions.MergeVmas)]", declaration: "public static partial class B"));
            return test.RunAsync();
        }

        [Fact]
        public Task Fix_all_makes_a_container_partial_once_for_every_class_nested_in_it()
        {
            // Both SHD108 fixes put the same "partial" on Outer: merged edits of one text would overlap.
            const string Nested = "        [Architecture(\"{0}\")]\n        [TlbInvalidation(Invalidation.Ipi)]\n        [PageTables(4)]\n        [PteFormat(64, 64, SpecialBit = true)]\n        public static partial class {1} {{ }}\n";
            string Source(string outer, string a, string b) => "using Shootdown;\n\n" + outer + "\n{\n"
                + string.Format(System.Globalization.CultureInfo.InvariantCulture, Nested, "a", a)
                + string.Format(System.Globalization.CultureInfo.InvariantCulture, Nested, "b", b) + "}\n";
            return new CodeFixCheck(
                Source("public static class Outer", "{|SHD108:{|SHD116:A|}|}", "{|SHD108:{|SHD116:B|}|}"),
                Source("public static partial class Outer", "A", "B"))
            {
                NumberOfIncrementalIterations = 1,
                NumberOfFixAllIterations = 1,
            }.RunAsync();
        }

        [Fact]
        public Task Rcu_table_free_for_shd002_also_settles_shd001_on_the_same_class()
        {
            // RcuTableFree selects TableFree (arch/Kconfig), so SHD002's fix leaves SHD001 nothing to do, one by one or all at once.
            return new CodeFixCheck(
                Class(invalidation: "[TlbInvalidation({|SHD002:Invalidation.HardwareBroadcast|})]", pageTables: "[PageTables(4, {|SHD001:FragmentsPerPage = 2|})]",
                    gather: null, fastGup: "[FastGup]"),
                Class(invalidation: "[TlbInvalidation(Invalidation.HardwareBroadcast)]", pageTables: "[PageTables(4, FragmentsPerPage = 2)]",
                    gather: null, fastGup: "[FastGup]").Replace("[Architecture(\"demo\")]\n", "[Architecture(\"demo\")]\n    [Gather(GatherOptions.RcuTableFree)]\n", System.StringComparison.Ordinal))
            {
                NumberOfIncrementalIterations = 1,
                NumberOfFixAllIterations = 1,
            }.RunAsync();
        }
    }
}
