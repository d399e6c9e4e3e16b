using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Shootdown.Analyzer.Tests.Fuzz;
using Shootdown.Analyzer.Tests.Harness;

namespace Shootdown.Analyzer.Tests
{
    /// <summary>
    /// The analyzer and the generator on a few hundred generated inputs: neither may throw; every malformed or unsafe input is
    /// reported; a well-formed input gets exactly the SHD IDs <see cref="DescriptorRules.Check"/> predicts, and code exactly
    /// when it is structurally valid (a race included, docs/diagnostics/README.md), code that then compiles.
    /// </summary>
    public sealed class FuzzTests
    {
        private const int Cases = 300;

        [Theory]
        [InlineData(20240601)]
        [InlineData(7)]
        public async Task Generated_descriptors_never_crash_and_are_always_judged(int seed)
        {
            var fuzzer = new DescriptorFuzzer(seed);
            var failures = new StringBuilder();
            var counts = new Dictionary<string, int>();
            for (var i = 0; i < Cases / 2; i++)
            {
                var fuzzCase = fuzzer.Next(i);
                var kind = fuzzCase.Malformation ?? Kind(fuzzCase.Descriptor!);
                counts[kind] = counts.GetValueOrDefault(kind) + 1;
                var problem = await JudgeAsync(fuzzCase);
                if (problem != null) failures.AppendLine($"case {i} ({kind}): {problem}\n{fuzzCase.Source}");
            }
            Assert.True(failures.Length == 0, failures.ToString());
            Assert.True(counts.GetValueOrDefault("valid") >= 10, "too few valid cases: " + string.Join(", ", counts));
            Assert.True(counts.GetValueOrDefault("race") >= 10, "too few unsafe cases: " + string.Join(", ", counts));
            Assert.True(counts.GetValueOrDefault("structure-error") >= 10, "too few structurally invalid cases: " + string.Join(", ", counts));
            Assert.True(counts.Count >= 10, "too few kinds of input: " + string.Join(", ", counts));
        }

        private static async Task<string?> JudgeAsync(FuzzCase fuzzCase)
        {
            var result = await Pipeline.RunAsync(new[] { new SourceFile("/src/Fuzz.cs", fuzzCase.Source) }, runGenerator: true);
            if (result.Exceptions.Length > 0) return "exception: " + result.Exceptions[0];
            var all = result.Diagnostics.Concat(result.GeneratorDiagnostics).ToList();
            var crash = all.FirstOrDefault(d => d.Id is "AD0001" or "CS8785");
            if (crash != null) return "crash: " + crash;

            var visible = result.Visible.ToList();
            var shd = visible.Where(d => d.Id.StartsWith("SHD", System.StringComparison.Ordinal)).Select(d => d.Id).ToHashSet();
            if (!fuzzCase.WellFormed)
            {
                if (!visible.Any(d => d.Severity >= DiagnosticSeverity.Warning)) return "malformed input got no diagnostic";
                var missing = fuzzCase.ExpectedIds.Where(id => !shd.Contains(id)).ToList();
                if (missing.Count > 0 && !visible.Any(d => d.Id.StartsWith("CS", System.StringComparison.Ordinal) && d.Severity == DiagnosticSeverity.Error))
                    return "missing " + string.Join(", ", missing) + "; got " + Describe(visible);
                return null;
            }

            var descriptor = fuzzCase.Descriptor!;
            var predicted = DescriptorRules.Check(descriptor).Select(f => f.Id).ToHashSet();
            var generates = DescriptorRules.IsStructurallyValid(descriptor);
            // The generator names every class it refuses.
            if (!generates) predicted.Add(DescriptorRules.NothingGenerated);
            if (!predicted.SetEquals(shd)) return $"predicted {string.Join(",", predicted.Order())}, got {Describe(visible)}";
            var compilerErrors = visible.Where(d => !d.Id.StartsWith("SHD", System.StringComparison.Ordinal) && d.Severity == DiagnosticSeverity.Error).ToList();
            if (compilerErrors.Count > 0) return "compiler errors on a well-formed input: " + Describe(compilerErrors);
            if (generates && result.GeneratedFiles < 2) return $"structurally valid descriptor ({Kind(descriptor)}) generated {result.GeneratedFiles} files";
            if (!generates && result.GeneratedFiles != 0) return $"structurally invalid descriptor generated {result.GeneratedFiles} files";
            return null;
        }

        // A race is a Safety error on a structurally valid descriptor, which is generated; a structure error is not.
        private static string Kind(ArchDescriptor d) =>
            !DescriptorRules.IsStructurallyValid(d) ? "structure-error" : DescriptorRules.IsUnsafe(d) ? "race" : "valid";

        private static string Describe(IEnumerable<Diagnostic> diagnostics) => string.Join("; ", diagnostics.Select(d => d.ToString()));
    }
}
