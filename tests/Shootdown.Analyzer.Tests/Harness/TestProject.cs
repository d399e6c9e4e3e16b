using Microsoft.CodeAnalysis.Testing;

namespace Shootdown.Analyzer.Tests.Harness
{
    /// <summary>The project every analyzer and code-fix test compiles: the options and references of <see cref="Pipeline"/>.</summary>
    internal static class TestProject
    {
        /// <summary>
        /// No reference-assembly package: the library would restore one from a feed at test time. <see cref="References"/>
        /// brings the framework instead.
        /// </summary>
        public static ReferenceAssemblies NoPackage { get; } = new("net10.0");

        public static void Configure<TVerifier>(AnalyzerTest<TVerifier> test)
            where TVerifier : IVerifier, new()
        {
            test.ReferenceAssemblies = NoPackage;
            test.TestState.AdditionalReferences.AddRange(References.All);
            // As Pipeline parses (the library's default would be Diagnose, which adds CS1591 on every public class).
            test.TestState.DocumentationMode = Microsoft.CodeAnalysis.DocumentationMode.Parse;
            // Compiler warnings and notes count too: a test source that draws one has the mark for it, as with any diagnostic.
            test.CompilerDiagnostics = CompilerDiagnostics.Suggestions;
        }
    }
}
