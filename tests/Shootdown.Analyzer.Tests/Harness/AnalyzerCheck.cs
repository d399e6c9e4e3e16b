extern alias analyzers;

using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using DescriptorAnalyzer = analyzers::Shootdown.Generator.Analyzers.DescriptorAnalyzer;

namespace Shootdown.Analyzer.Tests.Harness
{
    /// <summary>
    /// The analyzer on marked-up sources, one file each (/0/Test0.cs, /0/Test1.cs, ...): <c>{|SHD001:text|}</c> expects SHD001
    /// exactly on "text", <c>[|text|]</c> expects <see cref="DefaultId"/> there, <c>{|#0:text|}</c> names a place for an
    /// expected diagnostic written out in <see cref="AnalyzerTest{TVerifier}.ExpectedDiagnostics"/>. An unmarked diagnostic
    /// fails, a missing one fails, one in the wrong place fails.
    /// </summary>
    internal sealed class AnalyzerCheck : CSharpAnalyzerTest<DescriptorAnalyzer, DefaultVerifier>
    {
        public AnalyzerCheck(params string[] sources)
        {
            TestProject.Configure(this);
            foreach (var source in sources) TestState.Sources.Add(source);
        }

        /// <summary>The rule <c>[|...|]</c> expects; the analyzer has many, so the library has no default of its own.</summary>
        public string? DefaultId { get; init; }

        /// <summary>Severity settings, as the text of an .editorconfig at the root of the test project.</summary>
        public string? EditorConfig
        {
            init
            {
                if (value != null) TestState.AnalyzerConfigFiles.Add(("/.editorconfig", value));
            }
        }

        public static Task VerifyAsync(params string[] sources) => new AnalyzerCheck(sources).RunAsync();

        protected override CompilationOptions CreateCompilationOptions() => Pipeline.CompilationOptions();

        protected override ParseOptions CreateParseOptions() => Pipeline.ParseOptions;

        protected override DiagnosticDescriptor? GetDefaultDiagnostic(DiagnosticAnalyzer[] analyzers) =>
            DefaultId is null ? null : analyzers.SelectMany(a => a.SupportedDiagnostics).First(d => d.Id == DefaultId);
    }
}
