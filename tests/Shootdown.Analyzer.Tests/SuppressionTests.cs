using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
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
            await Verify.DiagnosticsAsync(Class(gather: "[Gather({|SHD006:GatherOptions.RcuTableFree|})]"));
            await Verify.DiagnosticsAsync("#pragma warning disable SHD006\n" + PointlessRcu);
        }

        [Fact]
        public async Task Pragma_disable_suppresses_an_analyzer_error()
        {
            await Verify.DiagnosticsAsync("#pragma warning disable SHD001 // two fragments, reviewed\n" + Fragments);
        }

        [Fact]
        public async Task Pragma_restore_brings_the_diagnostic_back()
        {
            var source = "#pragma warning disable SHD006\n#pragma warning restore SHD006\n"
                + Class(gather: "[Gather({|SHD006:GatherOptions.RcuTableFree|})]");
            await Verify.DiagnosticsAsync(source);
        }

        [Fact]
        public async Task Editorconfig_raises_a_note_to_an_error()
        {
            var result = await Verify.DiagnosticsAsync(new[] { Class(gather: "[Gather({|SHD006:GatherOptions.RcuTableFree|})]") },
                editorConfig: "root = true\n\n[*.cs]\ndotnet_diagnostic.SHD006.severity = error\n", defaultId: null);
            Assert.Equal(DiagnosticSeverity.Error, result.Visible.Single(d => d.Id == "SHD006").Severity);
        }

        [Fact]
        public async Task Editorconfig_none_silences_a_rule()
        {
            await Verify.DiagnosticsAsync(new[] { PointlessRcu },
                editorConfig: "root = true\n\n[*.cs]\ndotnet_diagnostic.SHD006.severity = none\n", defaultId: null);
        }

        [Fact]
        public async Task Editorconfig_can_lower_an_error_to_a_warning()
        {
            var result = await Verify.DiagnosticsAsync(new[] { Class(pageTables: "[PageTables(4, {|SHD001:FragmentsPerPage = 2|})]", gather: null) },
                editorConfig: "root = true\n\n[*.cs]\ndotnet_diagnostic.SHD001.severity = warning\n", defaultId: null);
            Assert.Equal(DiagnosticSeverity.Warning, result.Visible.Single(d => d.Id == "SHD001").Severity);
        }

        [Fact]
        public async Task Editorconfig_sections_that_do_not_match_the_file_change_nothing()
        {
            var result = await Verify.DiagnosticsAsync(new[] { Class(gather: "[Gather({|SHD006:GatherOptions.RcuTableFree|})]") },
                editorConfig: "root = true\n\n[*.vb]\ndotnet_diagnostic.SHD006.severity = error\n", defaultId: null);
            Assert.Equal(DiagnosticSeverity.Info, result.Visible.Single(d => d.Id == "SHD006").Severity);
        }

        [Fact]
        public async Task Default_markup_id_marks_with_square_brackets()
        {
            await Verify.DiagnosticsAsync(new[] { Class(gather: "[Gather([|GatherOptions.RcuTableFree|])]") }, editorConfig: null, defaultId: "SHD006");
        }
    }
}
