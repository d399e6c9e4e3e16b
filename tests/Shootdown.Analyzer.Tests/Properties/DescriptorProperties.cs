using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Shootdown.Analyzer.Tests.Harness;
using Xunit.Abstractions;

namespace Shootdown.Analyzer.Tests.Properties
{
    /// <summary>
    /// The analyzer and the generator on generated descriptor sources (<see cref="DescriptorSourceGen"/>, the seeded cases of
    /// <see cref="SeededCases"/>): neither may throw; every malformed or unsafe input is reported; a well-formed input gets
    /// exactly the SHD IDs <see cref="DescriptorRules.Check"/> predicts, and code exactly when it is structurally valid (a
    /// race included, docs/diagnostics/README.md), code that then compiles.
    /// </summary>
    public sealed class DescriptorProperties
    {
        private readonly ITestOutputHelper _output;

        public DescriptorProperties(ITestOutputHelper output) => _output = output;

        [Fact]
        public void Generated_descriptors_never_crash_and_are_always_judged()
        {
            var counts = new ConcurrentDictionary<string, int>();
            var summary = SeededCases.Run(DescriptorSourceGen.Case, descriptorCase =>
            {
                var kind = descriptorCase.Malformation ?? Kind(descriptorCase.Descriptor!);
                counts.AddOrUpdate(kind, 1, (_, n) => n + 1);
                var problem = JudgeAsync(descriptorCase).GetAwaiter().GetResult();
                if (problem != null) throw new InvalidOperationException($"({kind}) {problem}");
            }, c => "\n" + c);
            _output.WriteLine(summary + ": " + string.Join(", ", counts.OrderBy(c => c.Key, StringComparer.Ordinal)));
            // The cases must reach every outcome, or the property holds vacuously.
            var minimum = SeededCases.Cases / 200;
            Assert.True(counts.GetValueOrDefault("valid") >= minimum, "too few valid cases: " + string.Join(", ", counts));
            Assert.True(counts.GetValueOrDefault("race") >= minimum, "too few unsafe cases: " + string.Join(", ", counts));
            Assert.True(counts.GetValueOrDefault("structure-error") >= minimum, "too few structurally invalid cases: " + string.Join(", ", counts));
            Assert.True(counts.Count >= 15, "too few kinds of input: " + string.Join(", ", counts));
        }

        private static async Task<string?> JudgeAsync(DescriptorCase descriptorCase)
        {
            var result = await Pipeline.RunAsync(new[] { new SourceFile("/src/Descriptor.cs", descriptorCase.Source) }, runGenerator: true);
            if (result.Exceptions.Length > 0) return "exception: " + result.Exceptions[0];
            var all = result.Diagnostics.Concat(result.GeneratorDiagnostics).ToList();
            var crash = all.FirstOrDefault(d => d.Id is "AD0001" or "CS8785");
            if (crash != null) return "crash: " + crash;

            var visible = result.Visible.ToList();
            var shd = visible.Where(d => d.Id.StartsWith("SHD", System.StringComparison.Ordinal)).Select(d => d.Id).ToHashSet();
            if (!descriptorCase.WellFormed)
            {
                if (!visible.Any(d => d.Severity >= DiagnosticSeverity.Warning)) return "malformed input got no diagnostic";
                var missing = descriptorCase.ExpectedIds.Where(id => !shd.Contains(id)).ToList();
                if (missing.Count > 0 && !visible.Any(d => d.Id.StartsWith("CS", System.StringComparison.Ordinal) && d.Severity == DiagnosticSeverity.Error))
                    return "missing " + string.Join(", ", missing) + "; got " + Describe(visible);
                return null;
            }

            var descriptor = descriptorCase.Descriptor!;
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
