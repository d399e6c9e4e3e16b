using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Shootdown.Generator.Tests.Infrastructure;

namespace Shootdown.Generator.Tests
{
    /// <summary>
    /// Generated code compiles cleanly under the strictest settings the consuming projects use: nullable on, every
    /// warning at the highest level as an error, documentation comments checked.
    /// </summary>
    public sealed class CompileTests
    {
        [Fact]
        public void Catalog_with_generated_code_compiles_without_diagnostics()
        {
            var run = Catalog.Run;
            run.AssertNoGeneratorFailure();
            Assert.All(run.GeneratedTrees, t => Assert.Equal(Microsoft.CodeAnalysis.DocumentationMode.Diagnose, t.Options.DocumentationMode));
            var diagnostics = run.CompileDiagnostics();
            Assert.True(diagnostics.IsEmpty, DiagnosticReport.Format(diagnostics));
        }

        [Fact]
        public void Strict_settings_do_report_a_missing_doc_comment_and_a_nullable_warning()
        {
            // Zero diagnostics only means something if these settings would have reported a lapse in generated code,
            // both when asking the compilation and when emitting it (the varied sets are checked by emitting).
            var run = GeneratorHarness.Run(new[] { new SourceFile("Lapse.cs", "public class Lapse { public string Text = null; }") });
            foreach (var diagnostics in new[] { run.CompileDiagnostics(), EmitOutcome.Of(run.Output).Diagnostics })
            {
                var ids = diagnostics.Select(d => d.Id).ToHashSet();
                Assert.Contains("CS1591", ids);
                Assert.Contains("CS8625", ids);
                Assert.All(diagnostics, d => Assert.Equal(DiagnosticSeverity.Error, d.Severity));
            }
        }

        [Fact]
        public void Decoy_namespaces_break_a_name_that_is_not_global_qualified()
        {
            const string sloppy = "namespace Descriptors.Varied\n{\n    internal static class Sloppy\n    {\n" +
                "        internal static int Max(int a, int b) => System.Math.Max(a, b);\n" +
                "        internal static Shootdown.ArchDescriptor? None => null;\n    }\n}\n";
            var compilation = GeneratorHarness.Compilation(new[] { new SourceFile("Sloppy.cs", sloppy), DescriptorSource.Decoys() });

            var errors = compilation.GetDiagnostics().Where(d => d.Id == "CS0234").ToList();

            Assert.Equal(2, errors.Count);
        }

        [Theory]
        [MemberData(nameof(VariedRuns.SetNames), MemberType = typeof(VariedRuns))]
        public void Varied_valid_descriptors_compile_without_diagnostics(string set)
        {
            VariedRuns.Of(set).AssertNoGeneratorFailure();
            var compiled = VariedRuns.Compiled(set);
            Assert.True(compiled.Diagnostics.IsEmpty, $"Descriptor set '{set}': " + DiagnosticReport.Format(compiled.Diagnostics));
            Assert.True(compiled.Success);
        }

        [Theory]
        [MemberData(nameof(VariedRuns.SetNames), MemberType = typeof(VariedRuns))]
        public void Every_valid_descriptor_gets_its_files(string set)
        {
            var run = VariedRuns.Of(set);
            var hints = run.Files.Select(f => f.HintName).ToHashSet();
            var expected = 0;
            foreach (var (className, d) in VariedDescriptors.Named(set).Descriptors)
            {
                var prefix = "Descriptors.Varied." + className;
                foreach (var piece in ExpectedPieces.Of(d))
                {
                    Assert.True(hints.Contains(prefix + "." + piece + ".g.cs"), $"{d.Name}: no {piece} file");
                    expected++;
                }
                Assert.True(hints.Contains(prefix + ".TableBatch.g.cs") == d.Has(GatherOptions.TableFree),
                    $"{d.Name}: a TableBatch file exactly when MMU_GATHER_TABLE_FREE is on ({GatherOptionNames.Kconfig(d.EffectiveOptions)})");
                Assert.True(hints.Contains(prefix + ".FastGup.g.cs") == d.FastGup, $"{d.Name}: a FastGup file exactly when HAVE_GUP_FAST");
            }
            Assert.Equal(expected, run.ArchitectureFiles.Count);
        }

        [Fact]
        public void Gather_option_set_covers_every_valid_combination()
        {
            // 256 combinations minus those no machine can make valid: NO_GATHER without TABLE_FREE (SHD100) and
            // NO_TABLE_INVALIDATE without RCU_TABLE_FREE (SHD101).
            var expected = Enumerable.Range(0, 256).Count(bits =>
            {
                var o = (GatherOptions)bits;
                var tableFree = (o & (GatherOptions.TableFree | GatherOptions.RcuTableFree)) != 0;
                var rcu = (o & GatherOptions.RcuTableFree) != 0;
                return ((o & GatherOptions.NoGather) == 0 || tableFree) && ((o & GatherOptions.NoTableInvalidate) == 0 || rcu);
            });
            Assert.Equal(expected, VariedDescriptors.Named("gather-options").Descriptors.Count);
        }

        [Theory]
        [MemberData(nameof(VariedRuns.SetNames), MemberType = typeof(VariedRuns))]
        public void Generated_descriptor_property_holds_the_described_values(string set)
        {
            var compiled = VariedRuns.Compiled(set);
            Assert.True(compiled.Success, DiagnosticReport.Format(compiled.Diagnostics));

            var context = new AssemblyLoadContext("descriptors-" + set, isCollectible: true);
            try
            {
                using var image = new MemoryStream(compiled.Image);
                var assembly = context.LoadFromStream(image);
                foreach (var (className, expected) in VariedDescriptors.Named(set).Descriptors)
                {
                    var type = assembly.GetType("Descriptors.Varied." + className, throwOnError: true)!;
                    var actual = type.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static)!.GetValue(null);
                    Assert.Equal(expected, actual);
                }
            }
            finally
            {
                context.Unload();
            }
        }
    }
}
