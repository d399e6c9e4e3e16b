using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Shootdown.Analyzer.Tests.Harness;
using static Shootdown.Analyzer.Tests.Harness.Descriptors;

namespace Shootdown.Analyzer.Tests
{
    /// <summary>The usual ways of turning a diagnostic down or up work on descriptor diagnostics.</summary>
    public sealed class SuppressionTests
    {
        private static readonly string PointlessRcu = Class(gather: "[Gather(GatherOptions.RcuTableFree)]");
        private static readonly string Fragments = Class(pageTables: "[PageTables(4, FragmentsPerPage = 2)]", gather: null);

        [Fact]
        public async Task Pragma_disable_suppresses_a_note()
        {
            await AnalyzerCheck.VerifyAsync(Class(gather: "[Gather({|SHD006:GatherOptions.RcuTableFree|})]"));
            await AnalyzerCheck.VerifyAsync("#pragma warning disable SHD006\n" + PointlessRcu);
        }

        [Fact]
        public async Task Pragma_disable_suppresses_an_analyzer_error()
        {
            await AnalyzerCheck.VerifyAsync("#pragma warning disable SHD001 // two fragments, reviewed\n" + Fragments);
        }

        [Fact]
        public async Task Pragma_restore_brings_the_diagnostic_back()
        {
            var source = "#pragma warning disable SHD006\n#pragma warning restore SHD006\n"
                + Class(gather: "[Gather({|SHD006:GatherOptions.RcuTableFree|})]");
            await new AnalyzerCheck(source)
            {
                // The library's own check prepends "#pragma warning disable" to the file, which this file's restore undoes.
                TestBehaviors = TestBehaviors.SkipSuppressionCheck,
            }.RunAsync();
        }

        [Fact]
        public async Task Editorconfig_raises_a_note_to_an_error()
        {
            await new AnalyzerCheck(Class(gather: "[Gather({|#0:GatherOptions.RcuTableFree|})]"))
            {
                EditorConfig = "root = true\n\n[*.cs]\ndotnet_diagnostic.SHD006.severity = error\n",
                ExpectedDiagnostics = { new DiagnosticResult("SHD006", DiagnosticSeverity.Error).WithLocation(0) },
            }.RunAsync();
        }

        [Fact]
        public async Task Editorconfig_none_silences_a_rule()
        {
            await new AnalyzerCheck(PointlessRcu)
            {
                EditorConfig = "root = true\n\n[*.cs]\ndotnet_diagnostic.SHD006.severity = none\n",
            }.RunAsync();
        }

        [Fact]
        public async Task Editorconfig_can_lower_an_error_to_a_warning()
        {
            await new AnalyzerCheck(Class(pageTables: "[PageTables(4, {|#0:FragmentsPerPage = 2|})]", gather: null))
            {
                EditorConfig = "root = true\n\n[*.cs]\ndotnet_diagnostic.SHD001.severity = warning\n",
                ExpectedDiagnostics = { new DiagnosticResult("SHD001", DiagnosticSeverity.Warning).WithLocation(0) },
            }.RunAsync();
        }

        [Fact]
        public async Task Editorconfig_sections_that_do_not_match_the_file_change_nothing()
        {
            await new AnalyzerCheck(Class(gather: "[Gather({|#0:GatherOptions.RcuTableFree|})]"))
            {
                EditorConfig = "root = true\n\n[*.vb]\ndotnet_diagnostic.SHD006.severity = error\n",
                ExpectedDiagnostics = { new DiagnosticResult("SHD006", DiagnosticSeverity.Info).WithLocation(0) },
            }.RunAsync();
        }

        [Fact]
        public async Task Default_markup_id_marks_with_square_brackets()
        {
            await new AnalyzerCheck(Class(gather: "[Gather([|GatherOptions.RcuTableFree|])]")) { DefaultId = "SHD006" }.RunAsync();
        }
    }
}
