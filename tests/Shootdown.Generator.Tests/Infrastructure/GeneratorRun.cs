using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Shootdown.Generator.Tests.Infrastructure
{
    /// <summary>The outcome of one generator run: the input, the compilation with generated files, and the driver state.</summary>
    internal sealed class GeneratorRun
    {
        public GeneratorRun(Compilation input, Compilation output, GeneratorDriver driver, ImmutableArray<Diagnostic> driverDiagnostics)
        {
            Input = input;
            Output = output;
            Driver = driver;
            DriverDiagnostics = driverDiagnostics;
            Result = driver.GetRunResult().Results.Single();
            Files = Result.GeneratedSources.Select(s => new GeneratedFile(s.HintName, s.SourceText.ToString())).ToList();
        }

        /// <summary>The compilation the generator saw.</summary>
        public Compilation Input { get; }

        /// <summary>The input plus every generated tree.</summary>
        public Compilation Output { get; }

        /// <summary>The driver after the run, holding its caches for a rerun.</summary>
        public GeneratorDriver Driver { get; }

        /// <summary>Diagnostics of the run itself; a generator exception shows up here as CS8785.</summary>
        public ImmutableArray<Diagnostic> DriverDiagnostics { get; }

        /// <summary>The generator's result: sources, diagnostics, exception and tracked steps.</summary>
        public GeneratorRunResult Result { get; }

        /// <summary>The generated files in the order the generator added them.</summary>
        public IReadOnlyList<GeneratedFile> Files { get; }

        /// <summary>The hint name of the assembly's architecture registry (one per compilation, not per class).</summary>
        public const string RegistryHint = "Shootdown.Generated.ShootdownArchitectures.g.cs";

        /// <summary>The files generated for architecture classes: every file but the registry.</summary>
        public IReadOnlyList<GeneratedFile> ArchitectureFiles => Files.Where(f => f.HintName != RegistryHint).ToList();

        /// <summary>The registry's text, or null when the run generated none.</summary>
        public string? Registry => Files.FirstOrDefault(f => f.HintName == RegistryHint)?.Text;

        /// <summary>Generated text by hint name.</summary>
        public IReadOnlyDictionary<string, string> FilesByHint => Files.ToDictionary(f => f.HintName, f => f.Text);

        /// <summary>Trees the generator added to <see cref="Output"/>.</summary>
        public IEnumerable<SyntaxTree> GeneratedTrees => Result.GeneratedSources.Select(s => s.SyntaxTree);

        /// <summary>
        /// Fails unless the generator ran without throwing and reported nothing itself but SHD116, its explanation of a class it
        /// refused (tests of invalid input check that one where they expect it).
        /// </summary>
        public void AssertNoGeneratorFailure()
        {
            Assert.True(Result.Exception is null, "The generator threw: " + Result.Exception);
            var failures = DriverDiagnostics.Concat(Result.Diagnostics)
                .Where(d => d.Id == "CS8785" || (d.Severity == DiagnosticSeverity.Error && d.Id != "SHD116")).ToList();
            Assert.True(failures.Count == 0, "Generator run diagnostics:\n" + string.Join("\n", failures));
        }

        /// <summary>Every diagnostic of the output compilation, generated trees included.</summary>
        public ImmutableArray<Diagnostic> CompileDiagnostics() => Output.GetDiagnostics();
    }
}
