using System.Linq;
using Microsoft.CodeAnalysis;
using Shootdown.Generator.Tests.Infrastructure;

namespace Shootdown.Generator.Tests
{
    /// <summary>Conventions of generated files: header, [GeneratedCode], global:: names, unique hint names.</summary>
    public sealed class OutputShapeTests
    {
        [Fact]
        public void Catalog_output_keeps_generated_code_conventions()
        {
            Catalog.Run.AssertNoGeneratorFailure();
            var problems = GeneratedCodeShape.Violations(Catalog.Run);
            Assert.True(problems.Count == 0, string.Join("\n", problems));
        }

        [Theory]
        [MemberData(nameof(VariedRuns.SetNames), MemberType = typeof(VariedRuns))]
        public void Varied_output_keeps_generated_code_conventions(string set)
        {
            var run = VariedRuns.Of(set);
            run.AssertNoGeneratorFailure();
            // Binding every name of the two big sets costs more than the rest of the suite; their compile test runs
            // against decoy System and Shootdown namespaces instead, which fails on the same mistakes.
            var problems = GeneratedCodeShape.Violations(run, bindEveryName: set == "walkers");
            Assert.True(problems.Count == 0, string.Join("\n", problems.Take(50)));
        }

        [Fact]
        public void Hint_names_are_unique()
        {
            foreach (var run in new[] { Catalog.Run }.Concat(VariedDescriptors.All.Select(s => VariedRuns.Of(s.Name))))
            {
                var duplicates = run.Files.GroupBy(f => f.HintName, System.StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
                Assert.True(duplicates.Count == 0, "Hint names used twice: " + string.Join(", ", duplicates));
            }
        }

        [Fact]
        public void Convention_check_reports_a_using_an_unqualified_type_and_a_missing_attribute()
        {
            // The check itself must be able to fail: a hand-written file that breaks each convention once.
            const string user = "namespace N { public static partial class Arch { } }";
            const string bad = "using System;\n" +
                "namespace N\n{\n    static partial class Arch\n    {\n" +
                "        public struct Gather { }\n" +
                "        public static Shootdown.ArchDescriptor? Descriptor => null;\n" +
                "        public static Version? V => null;\n    }\n}\n";
            var compilation = GeneratorHarness.Compilation(new[] { new SourceFile("User.cs", user), new SourceFile("Bad.g.cs", bad) });

            var problems = GeneratedCodeShape.Violations(compilation, new[] { ("Bad.g.cs", "Bad.g.cs") });

            Assert.Contains(problems, p => p.Contains("does not start with"));
            Assert.Contains(problems, p => p.Contains("has 'using System;'"));
            Assert.Contains(problems, p => p.Contains("generated type N.Arch.Gather has no [GeneratedCode]"));
            Assert.Contains(problems, p => p.Contains("member N.Arch.Descriptor added to Arch has no [GeneratedCode]"));
            Assert.Contains(problems, p => p.Contains("namespace 'Shootdown'"));
            Assert.Contains(problems, p => p.Contains("type 'Version'"));
        }

        [Fact]
        public void Every_catalog_architecture_gets_its_files()
        {
            var run = Catalog.Run;
            var architectures = ArchitectureClasses.In(run.Input).ToList();
            Assert.NotEmpty(architectures);
            foreach (var type in architectures)
            {
                var prefix = type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat).Replace("global::", "");
                Assert.Contains(prefix + ".Descriptor.g.cs", run.FilesByHint.Keys);
                Assert.Contains(prefix + ".MmuGather.g.cs", run.FilesByHint.Keys);
            }
        }
    }
}
