using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Shootdown.Analyzer.Tests.Harness;

namespace Shootdown.Analyzer.Tests.Robustness
{
    /// <summary>
    /// Programs whose names collide with what the generator writes: the generator never throws, and either the program
    /// compiles with the generated code or an SHD error explains why nothing was generated for the class.
    /// </summary>
    public sealed class GeneratedCodeTests
    {
        private const string Attributes =
            "[Architecture(\"{0}\")]\n[TlbInvalidation(Invalidation.Ipi)]\n[PageTables(4)]\n[PteFormat(64, 64, SpecialBit = true)]\n"
            + "[HardwareWalker(WalkerKind.CachesUpperLevels)]\n[Gather(GatherOptions.TableFree)]\n[FastGup]\n";

        private static string Arch(string name, string declaration, string body = "") =>
            string.Format(System.Globalization.CultureInfo.InvariantCulture, Attributes, name) + declaration + "\n{\n" + body + "\n}\n";

        public static TheoryData<string, string> Compiles => new()
        {
            { "class named var", "using Shootdown;\nnamespace N {\n" + Arch("a", "public static partial class @var") + "}" },
            { "type var in the namespace", "using Shootdown;\nnamespace N {\nclass var {}\n" + Arch("a", "public static partial class A") + "}" },
            { "class @file", "using Shootdown;\nnamespace N {\n" + Arch("a", "public static partial class @file") + "}" },
            { "class @required", "using Shootdown;\nnamespace N {\n" + Arch("a", "public static partial class @required") + "}" },
            { "class @scoped", "using Shootdown;\nnamespace N {\n" + Arch("a", "public static partial class @scoped") + "}" },
            { "class @record", "using Shootdown;\nnamespace N {\n" + Arch("a", "public static partial class @record") + "}" },
            { "namespace @file.@async", "using Shootdown;\nnamespace @file.@async {\n" + Arch("a", "public static partial class A") + "}" },
            { "container @required", "using Shootdown;\nnamespace N {\npublic static partial class @required {\n" + Arch("a", "public static partial class A") + "}}" },
            { "namespace System", "using Shootdown;\nnamespace System {\n" + Arch("a", "public static partial class A") + "}" },
            { "namespace Shootdown", "namespace Shootdown {\n" + Arch("a", "public static partial class A") + "}" },
            { "namespace Shootdown.Simulation", "namespace Shootdown.Simulation {\nusing Shootdown;\n" + Arch("a", "public static partial class A") + "}" },
            { "nested type Shootdown", "using Shootdown;\nnamespace N {\n" + Arch("a", "public static partial class A", "public static class Shootdown { }\npublic static class System { }") + "}" },
            { "public and file class of one name", "using Shootdown;\nnamespace N {\n" + Arch("a", "public static partial class A") + "}\n" },
            { "two classes nested in generic types", "using Shootdown;\nnamespace N {\npublic partial class G<T> {\n" + Arch("a", "public static partial class A") + "}\npublic partial class H<T> {\n" + Arch("b", "public static partial class A") + "}}" },
        };

        [Theory]
        [MemberData(nameof(Compiles))]
        public async Task Generated_code_compiles(string what, string source)
        {
            var sources = new[] { new SourceFile("/src/A.cs", source) }.ToList();
            if (what == "public and file class of one name")
                sources.Add(new SourceFile("/src/B.cs", "using Shootdown;\nnamespace N {\n" + Arch("b", "file static partial class A") + "}\n"));
            var result = await Pipeline.RunAsync(sources, runGenerator: true);
            Assert.Empty(result.Exceptions);
            var errors = result.Visible.Where(d => d.Severity == DiagnosticSeverity.Error || d.Id == "CS8785").Select(d => d.ToString()).ToList();
            if (what == "public and file class of one name")
            {
                // A file-local class cannot take a partial part from another file: the generator says so and leaves it alone.
                Assert.Equal(new[] { "SHD115" }, result.Visible.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.Id).Distinct());
                Assert.True(result.GeneratedFiles >= 4, result.GeneratedFiles + " files");
                return;
            }
            Assert.True(errors.Count == 0, what + ":\n" + string.Join("\n", errors));
            Assert.True(result.GeneratedFiles >= 4, result.GeneratedFiles + " files");
        }

        public static TheoryData<string, string> Clashes => new()
        {
            { "member Descriptor", Arch("a", "public static partial class A", "public static int Descriptor => 1;") },
            { "member Ops", Arch("a", "public static partial class A", "public static void Ops() { }") },
            { "nested type MmuGather", Arch("a", "public static partial class A", "public class MmuGather { }") },
            { "nested type FastGup", Arch("a", "public static partial class A", "public struct FastGup { }") },
            { "member in another part", Arch("a", "public static partial class A") + "public static partial class A { public static int Ops; }" },
            { "class named Descriptor", Arch("a", "public static partial class Descriptor") },
            { "class named MmuGather", Arch("a", "public static partial class MmuGather") },
            { "class named Ops", Arch("a", "public static partial class Ops") },
            { "class System in the global namespace", Arch("a", "public static partial class System") },
            { "type System in the global namespace", Arch("a", "public static partial class A") + "internal static class System { }" },
        };

        [Theory]
        [MemberData(nameof(Clashes))]
        public async Task A_clash_with_a_generated_member_is_an_error_at_the_declaration_and_nothing_is_generated(string what, string source)
        {
            var result = await Pipeline.RunAsync(new[] { new SourceFile("/src/A.cs", "using Shootdown;\n" + source) }, runGenerator: true);
            Assert.Empty(result.Exceptions);
            var errors = result.Visible.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            Assert.True(errors.All(d => d.Id == "SHD115"), what + ":\n" + string.Join("\n", errors));
            Assert.NotEmpty(errors);
            Assert.Equal(0, result.GeneratedFiles);
        }

        [Fact]
        public async Task Mixed_record_and_class_parts_do_not_crash_the_generator()
        {
            var source = "using Shootdown;\nnamespace N {\n" + Arch("a", "public partial record A") + Arch("b", "public partial class A") + "}";
            var result = await Pipeline.RunAsync(new[] { new SourceFile("/src/A.cs", source) }, runGenerator: true);
            Assert.Empty(result.Exceptions);
            Assert.DoesNotContain(result.Visible, d => d.Id is "CS8785" or "AD0001");
            Assert.Contains(result.Visible, d => d.Id == "CS0261");
        }
    }
}
