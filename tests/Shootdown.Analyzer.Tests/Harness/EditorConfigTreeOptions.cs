using System.Threading;
using Microsoft.CodeAnalysis;

namespace Shootdown.Analyzer.Tests.Harness
{
    /// <summary>
    /// Severity settings from real <c>.editorconfig</c> text (parsed by Roslyn's <see cref="AnalyzerConfig"/>), handed to the
    /// compilation the way the compiler does it, so <c>dotnet_diagnostic.ID.severity</c> applies to analyzer diagnostics.
    /// </summary>
    internal sealed class EditorConfigTreeOptions : SyntaxTreeOptionsProvider
    {
        private readonly AnalyzerConfigSet _set;

        public EditorConfigTreeOptions(string editorConfigPath, string text)
        {
            _set = AnalyzerConfigSet.Create(new[] { AnalyzerConfig.Parse(text, editorConfigPath) });
        }

        public override GeneratedKind IsGenerated(SyntaxTree tree, CancellationToken cancellationToken) => GeneratedKind.Unknown;

        public override bool TryGetDiagnosticValue(SyntaxTree tree, string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity) =>
            _set.GetOptionsForSourcePath(tree.FilePath).TreeOptions.TryGetValue(diagnosticId, out severity);

        public override bool TryGetGlobalDiagnosticValue(string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity) =>
            _set.GlobalConfigOptions.TreeOptions.TryGetValue(diagnosticId, out severity);
    }
}
