using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Shootdown.Generator.Tests.Infrastructure;

namespace Shootdown.Generator.Tests
{
    /// <summary>
    /// The pipeline caches: edits that do not touch a descriptor rerun nothing that matters, and a descriptor edit reruns
    /// the emit of that one architecture only. Without this every keystroke in the IDE regenerates every architecture.
    /// </summary>
    public sealed class CacheabilityTests
    {
        private static SourceFile Unrelated(int answer) => new("Probe/Unrelated.cs",
            "namespace Probe\n{\n    /// <summary>Not an architecture.</summary>\n    public static class Unrelated\n    {\n" +
            "        /// <summary>A number.</summary>\n        public static int Answer() { return " + answer + "; }\n    }\n}\n");

        /// <summary>An architecture whose file also holds a method, so an edit can land right next to a descriptor.</summary>
        private static SourceFile ProbeArchitecture(int answer) => new("Probe/ProbeArch.cs",
            "using Shootdown;\n\nnamespace Probe\n{\n    /// <summary>Probe.</summary>\n" +
            "    [Architecture(\"cache-probe\")] [TlbInvalidation(Invalidation.Ipi)] [PageTables(3)] [PteFormat(64, 64)]\n" +
            "    public static partial class ProbeArch\n    {\n" +
            "        /// <summary>A number.</summary>\n        public static int Answer() { return " + answer + "; }\n    }\n}\n");

        private static CSharpCompilation Baseline() =>
            GeneratorHarness.Compilation(Catalog.Sources.Concat(new[] { Unrelated(1), ProbeArchitecture(1) }));

        private static CSharpCompilation Replace(CSharpCompilation compilation, SourceFile file) =>
            compilation.ReplaceSyntaxTree(compilation.SyntaxTrees.Single(t => t.FilePath == file.Path), GeneratorHarness.Parse(file));

        [Fact]
        public void Identical_rerun_is_cached()
        {
            var compilation = Baseline();
            var first = GeneratorHarness.Run(compilation);
            first.AssertNoGeneratorFailure();

            var second = GeneratorHarness.Rerun(first, compilation.Clone());

            AssertNothingRecomputed(second, "an identical rerun");
        }

        [Fact]
        public void Adding_an_unrelated_file_is_cached()
        {
            var compilation = Baseline();
            var first = GeneratorHarness.Run(compilation);

            var second = GeneratorHarness.Rerun(first, compilation.AddSyntaxTrees(GeneratorHarness.Parse(
                new SourceFile("Probe/Added.cs", "namespace Probe\n{\n    /// <summary>New.</summary>\n    public sealed class Added { }\n}\n"))));

            AssertNothingRecomputed(second, "adding an unrelated file");
        }

        [Fact]
        public void Editing_an_unrelated_method_body_is_cached()
        {
            var compilation = Baseline();
            var first = GeneratorHarness.Run(compilation);

            var second = GeneratorHarness.Rerun(first, Replace(compilation, Unrelated(2)));

            AssertNothingRecomputed(second, "editing a method in an unrelated file");
        }

        [Fact]
        public void Editing_a_method_body_inside_an_architecture_class_is_cached()
        {
            var compilation = Baseline();
            var first = GeneratorHarness.Run(compilation);

            var second = GeneratorHarness.Rerun(first, Replace(compilation, ProbeArchitecture(2)));

            AssertNothingRecomputed(second, "editing a method inside an architecture class");
        }

        [Fact]
        public void Changing_one_architectures_levels_reemits_only_that_architecture()
        {
            var (file, name) = CatalogFileWithOneArchitecture();
            var levels = Regex.Match(file.Text, @"\[PageTables\((\d)");
            Assert.True(levels.Success, $"{file.Path} has no [PageTables(n)]");
            var newLevels = levels.Groups[1].Value == "4" ? "5" : "4";
            var edited = file with { Text = file.Text.Substring(0, levels.Groups[1].Index) + newLevels + file.Text.Substring(levels.Groups[1].Index + 1) };

            var compilation = Baseline();
            var first = GeneratorHarness.Run(compilation);
            first.AssertNoGeneratorFailure();
            var second = GeneratorHarness.Rerun(first, Replace(compilation, edited));
            second.AssertNoGeneratorFailure();

            var emitted = PipelineSteps.Outputs(second, Step("Emit")).ToList();
            var changed = emitted.Where(o => PipelineSteps.ArchitectureName(o.Value) == name).ToList();
            var others = emitted.Where(o => PipelineSteps.ArchitectureName(o.Value) != name).ToList();
            Assert.True(changed.Count == 1, $"expected one Emit output for '{name}', found {changed.Count}");
            Assert.Equal(IncrementalStepRunReason.Modified, changed[0].Reason);
            // The generator's own copy of the shared ArchDescriptor type, so read it by reflection.
            var descriptor = PipelineSteps.Property(changed[0].Value, "Descriptor")!;
            Assert.Equal(newLevels, PipelineSteps.Property(descriptor, nameof(ArchDescriptor.Levels))!.ToString());
            Assert.NotEmpty(others);
            Assert.All(others, o => Assert.True(IsReused(o.Reason), $"Emit output of '{PipelineSteps.ArchitectureName(o.Value)}' was {o.Reason} after editing '{name}'"));

            // The name list did not change, so the duplicate-name check must not rerun anyone's emit.
            Assert.All(PipelineSteps.Outputs(second, Step("DuplicateNames")), o => Assert.True(IsReused(o.Reason), $"DuplicateNames was {o.Reason}"));

            var sourceOutputs = PipelineSteps.SourceOutputs(second).ToList();
            Assert.Contains(sourceOutputs, o => o.Reason == IncrementalStepRunReason.Modified);
            // The others' pieces, and the registry: its entries (names and classes) did not change with the levels.
            Assert.All(PipelineSteps.Outputs(second, Step("Registry")), o => Assert.True(IsReused(o.Reason), $"Registry was {o.Reason}"));
            Assert.Equal(others.Count + 1, sourceOutputs.Count(o => IsReused(o.Reason)));
        }

        /// <summary>The step constant whose name ends with <paramref name="suffix"/> (StepNames.Emit is "Shootdown.Emit").</summary>
        private static string Step(string suffix) => PipelineSteps.Names.Single(n => n.EndsWith("." + suffix, StringComparison.Ordinal));

        private static bool IsReused(IncrementalStepRunReason reason) =>
            reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged;

        private static void AssertNothingRecomputed(GeneratorRun run, string situation)
        {
            run.AssertNoGeneratorFailure();
            Assert.NotEmpty(PipelineSteps.Names);
            var recomputed = new List<string>();
            foreach (var step in PipelineSteps.Names)
            {
                var outputs = PipelineSteps.Outputs(run, step).ToList();
                Assert.True(outputs.Count > 0, $"step {step} produced no outputs after {situation}");
                recomputed.AddRange(outputs.Where(o => !IsReused(o.Reason)).Select(o => $"{step}: {o.Reason} {o.Value}"));
            }
            var sourceOutputs = PipelineSteps.SourceOutputs(run).ToList();
            Assert.NotEmpty(sourceOutputs);
            recomputed.AddRange(sourceOutputs.Where(o => !IsReused(o.Reason)).Select(o => $"source output: {o.Reason} {o.Value}"));
            Assert.True(recomputed.Count == 0, $"After {situation} these were recomputed:\n" + string.Join("\n", recomputed));
        }

        /// <summary>A catalog file declaring exactly one architecture, and that architecture's name.</summary>
        private static (SourceFile File, string Name) CatalogFileWithOneArchitecture()
        {
            foreach (var file in Catalog.Sources)
            {
                var names = Regex.Matches(file.Text, @"\[Architecture\(""([^""]+)""\)");
                if (names.Count == 1 && file.Text.Contains("[PageTables(", StringComparison.Ordinal)) return (file, names[0].Groups[1].Value);
            }
            throw new InvalidOperationException("No catalog file declares exactly one architecture with [PageTables(n)]");
        }
    }
}
