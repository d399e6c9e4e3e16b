extern alias analyzers;

using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using DescriptorAnalyzer = analyzers::Shootdown.Generator.Analyzers.DescriptorAnalyzer;
using ShootdownGenerator = analyzers::Shootdown.Generator.ShootdownGenerator;

namespace Shootdown.Analyzer.Tests.Harness
{
    /// <summary>One test file: where it lives and its text.</summary>
    internal sealed record SourceFile(string Path, string Text);

    /// <summary>What running the compiler, the generator and the analyzer on some sources produced.</summary>
    internal sealed record PipelineResult(
        ImmutableArray<Diagnostic> Diagnostics,
        ImmutableArray<Diagnostic> GeneratorDiagnostics,
        ImmutableArray<Exception> Exceptions,
        int GeneratedFiles)
    {
        /// <summary>Hint names of the generated files.</summary>
        public ImmutableArray<string> HintNames { get; init; } = ImmutableArray<string>.Empty;

        /// <summary>Diagnostics a user sees: not hidden, not suppressed.</summary>
        public IEnumerable<Diagnostic> Visible =>
            Diagnostics.Concat(GeneratorDiagnostics).Where(d => d.Severity != DiagnosticSeverity.Hidden && !d.IsSuppressed);
    }

    /// <summary>Compiles test sources against the framework and the runtime, optionally runs the generator, then the analyzer.</summary>
    internal static class Pipeline
    {
        public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

        public static CSharpCompilationOptions CompilationOptions(string? editorConfig = null)
        {
            var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable);
            return editorConfig is null ? options : options.WithSyntaxTreeOptionsProvider(new EditorConfigTreeOptions("/src/.editorconfig", editorConfig));
        }

        public static CSharpCompilation Compile(IEnumerable<SourceFile> sources, string? editorConfig = null) =>
            CSharpCompilation.Create("Test",
                sources.Select(s => CSharpSyntaxTree.ParseText(s.Text, ParseOptions, s.Path)),
                References.All,
                CompilationOptions(editorConfig));

        public static async Task<PipelineResult> RunAsync(IEnumerable<SourceFile> sources, bool runGenerator = false, string? editorConfig = null)
        {
            Compilation compilation = Compile(sources, editorConfig);
            var generatorDiagnostics = ImmutableArray<Diagnostic>.Empty;
            var generated = 0;
            var exceptions = new List<Exception>();
            var hints = new List<string>();
            if (runGenerator)
            {
                var driver = CSharpGeneratorDriver.Create(new[] { new ShootdownGenerator().AsSourceGenerator() }, parseOptions: ParseOptions)
                    .RunGeneratorsAndUpdateCompilation(compilation, out compilation, out generatorDiagnostics);
                var run = driver.GetRunResult();
                foreach (var result in run.Results)
                {
                    if (result.Exception != null) exceptions.Add(result.Exception);
                    generated += result.GeneratedSources.Length;
                    hints.AddRange(result.GeneratedSources.Select(source => source.HintName));
                }
            }

            var options = new CompilationWithAnalyzersOptions(
                new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
                onAnalyzerException: (exception, _, _) => { lock (exceptions) exceptions.Add(exception); },
                concurrentAnalysis: true,
                logAnalyzerExecutionTime: false,
                // Suppressed diagnostics are kept (IsSuppressed, left out of Visible): what is generated must not depend on them.
                reportSuppressedDiagnostics: true);
            var withAnalyzers = compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new DescriptorAnalyzer()), options);
            var diagnostics = await withAnalyzers.GetAllDiagnosticsAsync().ConfigureAwait(false);
            return new PipelineResult(diagnostics, generatorDiagnostics, exceptions.ToImmutableArray(), generated) { HintNames = hints.ToImmutableArray() };
        }
    }
}
