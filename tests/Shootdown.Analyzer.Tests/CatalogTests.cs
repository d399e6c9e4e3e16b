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
        public async Task Every_catalog_architecture_builds_with_no_error_and_no_warning()
        {
            var directory = Path.Combine(RepositoryRoot.Path, "archs", "Catalog");
            var files = Directory.GetFiles(directory, "*.cs").OrderBy(f => f, System.StringComparer.Ordinal)
                .Select(f => new SourceFile(f, File.ReadAllText(f))).ToList();
            Assert.True(files.Count >= 2, "the catalog has at least x86-64 and arm64");
            Assert.Contains(files, f => f.Text.Contains("[Architecture(", System.StringComparison.Ordinal));

            var result = await Pipeline.RunAsync(files, runGenerator: true);

            Assert.Empty(result.Exceptions);
            var loud = result.Visible.Where(d => d.Severity >= DiagnosticSeverity.Warning).Select(d => d.ToString()).ToList();
            Assert.True(loud.Count == 0, string.Join("\n", loud));
            var architectures = files.Sum(f => f.Text.Split("[Architecture(").Length - 1);
            Assert.True(result.GeneratedFiles >= 2 * architectures, $"{result.GeneratedFiles} files generated for {architectures} architectures");
        }
    }
}
