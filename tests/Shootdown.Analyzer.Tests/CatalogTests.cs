using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Shootdown.Analyzer.Tests.Harness;

namespace Shootdown.Analyzer.Tests
{
    /// <summary>The real architectures the tool ships must pass their own analyzer.</summary>
    public sealed class CatalogTests
    {
        [Fact]
        public async Task Every_catalog_architecture_builds_with_no_shootdown_diagnostic_at_all()
        {
            var (files, result) = await RunCatalogAsync();

            Assert.Empty(result.Exceptions);
            // Notes (Info) count too: a catalog class describes a real kernel, and a note on it would say Linux pays for
            // something the descriptor says it need not.
            var shown = result.Visible.Where(d => d.Id.StartsWith("SHD", System.StringComparison.Ordinal) || d.Severity >= DiagnosticSeverity.Warning)
                .Select(d => d.ToString()).ToList();
            Assert.True(shown.Count == 0, string.Join("\n", shown));
            var architectures = files.Sum(f => f.Text.Split("[Architecture(").Length - 1);
            Assert.True(result.GeneratedFiles >= 2 * architectures, $"{result.GeneratedFiles} files generated for {architectures} architectures");
        }

        [Fact]
        public async Task A_catalog_class_suppresses_only_cost_findings_that_Linux_itself_pays()
        {
            var (_, result) = await RunCatalogAsync();

            // A #pragma in a catalog class may only silence what Linux really costs (mips32-xpa has no PTE special bit
            // because Kconfig gives 32-bit RIXI cores none); a suppressed race or structure finding would hide a bug.
            var suppressed = result.Diagnostics.Concat(result.GeneratorDiagnostics).Where(d => d.IsSuppressed).ToList();
            foreach (var d in suppressed)
                Assert.True(DescriptorRules.ById(d.Id).Category == RuleCategory.Cost, $"catalog suppresses {d}");
            Assert.Contains(suppressed, d => d.Id == DescriptorRules.FastGupWithoutSpecial);
        }

        private static async Task<(System.Collections.Generic.List<SourceFile> Files, PipelineResult Result)> RunCatalogAsync()
        {
            var directory = Path.Combine(RepositoryRoot.Path, "archs", "Catalog");
            var files = Directory.GetFiles(directory, "*.cs").OrderBy(f => f, System.StringComparer.Ordinal)
                .Select(f => new SourceFile(f, File.ReadAllText(f))).ToList();
            Assert.True(files.Count >= 2, "the catalog has at least x86-64 and arm64");
            Assert.Contains(files, f => f.Text.Contains("[Architecture(", System.StringComparison.Ordinal));
            return (files, await Pipeline.RunAsync(files, runGenerator: true));
        }
    }
}
