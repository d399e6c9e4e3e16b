using System.Linq;
using Shootdown.Generator.Tests.Infrastructure;

namespace Shootdown.Generator.Tests
{
    /// <summary>Classes that share a simple name still get their own files, and the code compiles in each spot.</summary>
    public sealed class HintNameTests
    {
        private const string Attributes =
            "[TlbInvalidation(Invalidation.Ipi)] [PageTables(4)] [PteFormat(64, 64, SpecialBit = true)] " +
            "[HardwareWalker(WalkerKind.CachesUpperLevels)] [Gather(GatherOptions.TableFree)] [FastGup]";

        private static string Arch(string name, string modifiers = "public static partial class", string className = "Machine") =>
            $"/// <summary>{name}</summary>\n[Architecture(\"{name}\")] {Attributes}\n{modifiers} {className} {{ }}\n";

        private static readonly SourceFile[] SameNames =
        {
            new("SameName/Global.cs", "using Shootdown;\n" + Arch("global")),
            new("SameName/First.cs", "using Shootdown;\nnamespace First\n{\n" + Arch("first") + "}\n"),
            new("SameName/Second.cs", "using Shootdown;\nnamespace Second\n{\n" + Arch("second") + "}\n"),
            new("SameName/Nested.cs",
                "using Shootdown;\nnamespace Nested\n{\n" +
                "/// <summary>A</summary>\npublic static partial class OuterA\n{\n" + Arch("outer-a") + "}\n" +
                "/// <summary>B</summary>\npublic static partial class OuterB\n{\n" + Arch("outer-b") + "}\n" +
                "/// <summary>Plain</summary>\npublic partial class Outer\n{\n" + Arch("outer-plain") + "}\n" +
                "/// <summary>Generic</summary>\n/// <typeparam name=\"T\">T</typeparam>\npublic partial class Outer<T>\n{\n" + Arch("outer-generic") + "}\n" +
                "/// <summary>Generic of two</summary>\n/// <typeparam name=\"T\">T</typeparam>\n/// <typeparam name=\"U\">U</typeparam>\npublic partial class Outer<T, U>\n{\n" + Arch("outer-generic-2") + "}\n" +
                "/// <summary>Struct</summary>\npublic partial struct Holder\n{\n" + Arch("in-struct") + "}\n" +
                "/// <summary>Record</summary>\npublic partial record Rec\n{\n" + Arch("in-record") + "}\n" +
                "/// <summary>Deep</summary>\npublic static partial class Deep\n{\n/// <summary>Deeper</summary>\npublic partial class Deeper<T>\n{\n" + Arch("deep", "public sealed partial class") + "}\n}\n" +
                "}\n"),
        };

        private static readonly string[] ExpectedPrefixes =
        {
            "Machine", "First.Machine", "Second.Machine",
            "Nested.OuterA.Machine", "Nested.OuterB.Machine", "Nested.Outer.Machine", "Nested.Outer`1.Machine", "Nested.Outer`2.Machine",
            "Nested.Holder.Machine", "Nested.Rec.Machine", "Nested.Deep.Deeper`1.Machine",
        };

        [Fact]
        public void Same_class_name_in_different_places_gets_distinct_hint_names()
        {
            var run = GeneratorHarness.Run(SameNames);
            run.AssertNoGeneratorFailure();

            Assert.Equal(run.Files.Count, run.Files.Select(f => f.HintName).Distinct(System.StringComparer.OrdinalIgnoreCase).Count());
            var hints = run.ArchitectureFiles.Select(f => f.HintName).ToList();
            foreach (var prefix in ExpectedPrefixes)
            {
                foreach (var piece in new[] { "Descriptor", "MmuGather", "TableBatch", "FastGup" })
                    Assert.Contains(prefix + "." + piece + ".g.cs", hints);
            }
            Assert.Equal(ExpectedPrefixes.Length * 4, hints.Count);
        }

        [Fact]
        public void Same_class_name_in_different_places_compiles_without_diagnostics()
        {
            var run = GeneratorHarness.Run(SameNames);
            run.AssertNoGeneratorFailure();
            var diagnostics = run.CompileDiagnostics();
            Assert.True(diagnostics.IsEmpty, DiagnosticReport.Format(diagnostics));
            var problems = GeneratedCodeShape.Violations(run);
            Assert.True(problems.Count == 0, string.Join("\n", problems));
        }
    }
}
