using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Shootdown.Analyzer.Tests.Harness;

namespace Shootdown.Analyzer.Tests.Robustness
{
    /// <summary>
    /// SHD109 counts architecture names, not class names: classes of one simple name nested in generic types of different
    /// arity (<c>Outer&lt;T&gt;.A</c>, <c>Outer&lt;T, U&gt;.A</c>, <c>Outer.A</c>) are distinct types, each gets its code, and
    /// none is taken for a duplicate; two of them spelling one architecture name are.
    /// </summary>
    public sealed class GenericContainerNameTests
    {
        private const string Attributes = "[TlbInvalidation(Invalidation.Ipi)]\n[PageTables(4)]\n[PteFormat(64, 64, SpecialBit = true)]\n";

        private static string Nested(string container, string name, string className = "A") =>
            container + "\n{\n[Architecture(\"" + name + "\")]\n" + Attributes + "public static partial class " + className + " { }\n}\n";

        private static SourceFile[] Program(string first, string second, string third) => new[]
        {
            new SourceFile("/src/Generic.cs", "using Shootdown;\nnamespace N\n{\n" + Nested("public partial class Outer<T>", first)
                + Nested("public partial class Outer<T, U>", second) + Nested("public partial class Outer", third) + "}\n"),
            // Another part of Outer<T>, and a use of the closed type: still one class.
            new SourceFile("/src/Use.cs", "namespace N\n{\npublic partial class Outer<T> { }\npublic static class Use { public static System.Type Closed => typeof(Outer<int>.A); }\n}\n"),
        };

        [Fact]
        public async Task Classes_of_one_name_in_generic_types_of_different_arity_are_no_duplicate()
        {
            var result = await Pipeline.RunAsync(Program("a", "b", "c"), runGenerator: true);
            Assert.Empty(result.Exceptions);
            var all = result.Diagnostics.Concat(result.GeneratorDiagnostics).ToList();
            Assert.DoesNotContain(all, d => d.Id == DescriptorRules.DuplicateName);
            Assert.DoesNotContain(all, d => d.Id == DescriptorRules.NothingGenerated);
            Assert.True(!all.Any(d => d.Severity == DiagnosticSeverity.Error), string.Join("\n", all));
            foreach (var prefix in new[] { "N.Outer`1.A", "N.Outer`2.A", "N.Outer.A" })
                Assert.Contains(prefix + ".MmuGather.g.cs", result.HintNames);
        }

        [Fact]
        public async Task Two_of_them_with_one_architecture_name_are_a_duplicate_on_each()
        {
            var result = await Pipeline.RunAsync(Program("a", "a", "c"), runGenerator: true);
            var duplicates = result.Diagnostics.Where(d => d.Id == DescriptorRules.DuplicateName).ToList();
            Assert.Equal(2, duplicates.Count);
            Assert.All(duplicates, d => Assert.Contains("\"a\"", d.GetMessage(System.Globalization.CultureInfo.InvariantCulture), System.StringComparison.Ordinal));
            Assert.DoesNotContain(result.HintNames, h => h.StartsWith("N.Outer`", System.StringComparison.Ordinal));
            Assert.Contains("N.Outer.A.MmuGather.g.cs", result.HintNames);
        }
    }
}
