extern alias GeneratorAssembly;

using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using GeneratorAssembly::Shootdown.Generator;

namespace Shootdown.Generator.Tests.Infrastructure
{
    /// <summary>
    /// Builds compilations of descriptor sources and runs <see cref="ShootdownGenerator"/> over them with step tracking on,
    /// the way the compiler would, but in process so every step and diagnostic can be inspected.
    /// </summary>
    internal static class GeneratorHarness
    {
        /// <summary>
        /// Documentation comments are parsed and checked (a missing one is CS1591), so generated public members are held
        /// to the same standard as the projects that consume them.
        /// </summary>
        public static readonly CSharpParseOptions ParseOptions =
            new(LanguageVersion.Latest, DocumentationMode.Diagnose);

        /// <summary>Nullable on, every warning at the highest level reported as an error: what the consuming projects build with.</summary>
        public static readonly CSharpCompilationOptions CompilationOptions =
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary)
                .WithNullableContextOptions(NullableContextOptions.Enable)
                .WithGeneralDiagnosticOption(ReportDiagnostic.Error)
                .WithWarningLevel(9999)
                .WithDeterministic(true);

        /// <summary>A compilation of <paramref name="sources"/>, in the given order.</summary>
        public static CSharpCompilation Compilation(IEnumerable<SourceFile> sources, string assemblyName = "Descriptors") =>
            CSharpCompilation.Create(
                assemblyName,
                sources.Select(Parse),
                References.Default,
                CompilationOptions);

        /// <summary>The syntax tree of <paramref name="source"/> with the harness's parse options.</summary>
        public static SyntaxTree Parse(SourceFile source) =>
            CSharpSyntaxTree.ParseText(source.Text, ParseOptions, source.Path, System.Text.Encoding.UTF8);

        /// <summary>A fresh driver over <paramref name="compilation"/>.</summary>
        public static GeneratorRun Run(CSharpCompilation compilation, BuildProperties? properties = null) =>
            Run(NewDriver(properties), compilation);

        /// <summary>Runs the generator over sources in one step, with the given build properties if any.</summary>
        public static GeneratorRun Run(IEnumerable<SourceFile> sources, BuildProperties? properties = null) =>
            Run(Compilation(sources), properties);

        /// <summary>Runs <paramref name="previous"/>'s driver again over <paramref name="next"/>: its caches decide what reruns.</summary>
        public static GeneratorRun Rerun(GeneratorRun previous, CSharpCompilation next) => Run(previous.Driver, next);

        private static GeneratorDriver NewDriver(BuildProperties? properties) =>
            CSharpGeneratorDriver.Create(
                new[] { new ShootdownGenerator().AsSourceGenerator() },
                additionalTexts: null,
                parseOptions: ParseOptions,
                optionsProvider: properties,
                driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

        private static GeneratorRun Run(GeneratorDriver driver, CSharpCompilation compilation)
        {
            driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
            return new GeneratorRun(compilation, output, driver, diagnostics);
        }
    }
}
