using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Shootdown.Analyzer.Tests.Harness;
using static Shootdown.Analyzer.Tests.Harness.Descriptors;

namespace Shootdown.Analyzer.Tests.Robustness
{
    /// <summary>
    /// What is generated does not depend on how diagnostics are configured: a structurally invalid class is always refused
    /// and explained by the generator's own SHD116, also when the analyzer's error is suppressed; a race is always generated
    /// as described, and its error stays where it is not suppressed (docs/diagnostics/README.md).
    /// </summary>
    public sealed class SuppressionAndGenerationTests
    {
        // MMU_GATHER_NO_TABLE_INVALIDATE without RCU_TABLE_FREE: SHD101, which Kconfig refuses.
        private static readonly string Invalid = Class(gather: "[Gather(GatherOptions.TableFree | GatherOptions.NoTableInvalidate)]");

        // Two page-table fragments per page and no TABLE_FREE: SHD001, a race the explorer can show.
        private static readonly string Unsafe = Class(pageTables: "[PageTables(4, FragmentsPerPage = 2)]", gather: null);

        [Theory]
        [InlineData("#pragma warning disable SHD101\n", null)]
        [InlineData("", "root = true\n\n[*.cs]\ndotnet_diagnostic.SHD101.severity = none\n")]
        [InlineData("", null)]
        public async Task A_refused_class_is_reported_by_the_generator_however_its_error_is_configured(string prefix, string? editorConfig)
        {
            var result = await Pipeline.RunAsync(new[] { new SourceFile("/src/Demo.cs", prefix + Invalid) }, runGenerator: true, editorConfig: editorConfig);
            Assert.Equal(0, result.GeneratedFiles);
            var refusal = Assert.Single(result.Visible, d => d.Id == "SHD116");
            Assert.Contains("'Demo'", refusal.GetMessage(System.Globalization.CultureInfo.InvariantCulture), System.StringComparison.Ordinal);
            Assert.Contains("SHD101", refusal.GetMessage(System.Globalization.CultureInfo.InvariantCulture), System.StringComparison.Ordinal);
            var at = refusal.Location.GetLineSpan();
            Assert.Equal("/src/Demo.cs", at.Path);
            Assert.Equal("Demo", (prefix + Invalid).Substring(refusal.Location.SourceSpan.Start, refusal.Location.SourceSpan.Length));
            Assert.Equal(prefix.Length == 0 && editorConfig is null, result.Visible.Any(d => d.Id == "SHD101"));
        }

        [Theory]
        [InlineData("#pragma warning disable SHD001\n", null)]
        [InlineData("", "root = true\n\n[*.cs]\ndotnet_diagnostic.SHD001.severity = warning\n")]
        [InlineData("", null)]
        public async Task A_race_is_generated_however_its_error_is_configured(string prefix, string? editorConfig)
        {
            var result = await Pipeline.RunAsync(new[] { new SourceFile("/src/Demo.cs", prefix + Unsafe) }, runGenerator: true, editorConfig: editorConfig);
            Assert.DoesNotContain(result.Visible, d => d.Id == "SHD116");
            Assert.Contains("Archs.Demo.MmuGather.g.cs", result.HintNames);
            // The generated code compiles: the only errors left are the analyzer's, where they were not suppressed.
            Assert.DoesNotContain(result.Visible, d => d.Severity == DiagnosticSeverity.Error && d.Id != "SHD001");
            var error = result.Visible.SingleOrDefault(d => d.Id == "SHD001");
            Assert.Equal(prefix.Length == 0, error != null);
            if (error != null) Assert.Equal(editorConfig is null ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning, error.Severity);
        }

        [Fact]
        public async Task Raising_a_note_to_an_error_does_not_stop_generation()
        {
            var result = await Pipeline.RunAsync(new[] { new SourceFile("/src/Demo.cs", Class(gather: "[Gather(GatherOptions.RcuTableFree)]")) },
                runGenerator: true, editorConfig: "root = true\n\n[*.cs]\ndotnet_diagnostic.SHD006.severity = error\n");
            Assert.Equal(DiagnosticSeverity.Error, result.Visible.Single(d => d.Id == "SHD006").Severity);
            Assert.DoesNotContain(result.Visible, d => d.Id == "SHD116");
            Assert.True(result.GeneratedFiles >= 3, result.GeneratedFiles + " files");
        }

        [Fact]
        public async Task A_valid_class_gets_no_refusal()
        {
            var result = await Pipeline.RunAsync(new[] { new SourceFile("/src/Demo.cs", Class()) }, runGenerator: true);
            Assert.DoesNotContain(result.Visible, d => d.Id == "SHD116");
            Assert.True(result.GeneratedFiles >= 3, result.GeneratedFiles + " files");
        }
    }
}
