extern alias analyzers;

using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Shootdown.Analyzer.Tests.Harness;
using static Shootdown.Analyzer.Tests.Harness.Descriptors;
using DescriptorAnalyzer = analyzers::Shootdown.Generator.Analyzers.DescriptorAnalyzer;
using DescriptorCodeFixProvider = analyzers::Shootdown.CodeFixes.DescriptorCodeFixProvider;

namespace Shootdown.Analyzer.Tests
{
    /// <summary>
    /// Fix All asked the way <c>dotnet format analyzers --diagnostics ...</c> asks: one rule at a time, in the solution, with
    /// the equivalence key of the first fix for whichever diagnostic the analysis met first, which may be another rule's (or
    /// none). The batch fixer keeps only actions with that key and so returned no action ("didn't return a Fix All action").
    /// </summary>
    public sealed class DotnetFormatFixAllTests
    {
        private static readonly string Broadcast = Class(architecture: "[Architecture(\"a\")]", invalidation: "[TlbInvalidation(Invalidation.HardwareBroadcast)]",
            gather: null, fastGup: "[FastGup]", declaration: "public static partial class A");

        private static readonly string Fragments = Class(architecture: "[Architecture(\"b\")]", pageTables: "[PageTables(4, FragmentsPerPage = 2)]",
            gather: null, declaration: "public static partial class B");

        [Fact]
        public async Task A_key_of_another_rule_fixes_each_diagnostic_with_its_own_first_fix()
        {
            var solution = Solution(("/src/A.cs", Broadcast), ("/src/B.cs", Fragments));
            var fixedSolution = await FixAllAsync(solution, "SHD001", key: "SHD002.AddRcuTableFree");
            Assert.Contains("[Gather(GatherOptions.TableFree)]", await TextAsync(fixedSolution, "/src/B.cs"), System.StringComparison.Ordinal);
            Assert.Equal(Broadcast, await TextAsync(fixedSolution, "/src/A.cs"));
        }

        [Fact]
        public async Task No_key_fixes_every_rule_asked_for_and_two_edits_of_one_argument_both_land()
        {
            var both = Class(invalidation: "[TlbInvalidation(Invalidation.HardwareBroadcast)]", pageTables: "[PageTables(4, FragmentsPerPage = 2)]",
                gather: "[Gather(GatherOptions.MergeVmas)]", fastGup: "[FastGup]");
            var fixedSolution = await FixAllAsync(Solution(("/src/Demo.cs", both)), new[] { "SHD001", "SHD002" }, key: null);
            var text = await TextAsync(fixedSolution, "/src/Demo.cs");
            Assert.Contains("[Gather(GatherOptions.MergeVmas | GatherOptions.RcuTableFree)]", text, System.StringComparison.Ordinal);
            Assert.Empty((await AnalyzeAsync(fixedSolution.Projects.Single())).Where(d => d.Severity == DiagnosticSeverity.Error));
        }

        [Fact]
        public async Task The_key_of_a_rule_in_the_set_still_picks_that_fix()
        {
            var shd101 = Class(walker: null, gather: "[Gather(GatherOptions.NoTableInvalidate)]");
            var fixedSolution = await FixAllAsync(Solution(("/src/Demo.cs", shd101)), "SHD101", key: "SHD101.RemoveNoTableInvalidate");
            Assert.Contains("[Gather(GatherOptions.None)]", await TextAsync(fixedSolution, "/src/Demo.cs"), System.StringComparison.Ordinal);
        }

        private static Task<Solution> FixAllAsync(Solution solution, string id, string? key) => FixAllAsync(solution, new[] { id }, key);

        private static async Task<Solution> FixAllAsync(Solution solution, string[] ids, string? key)
        {
            var project = solution.Projects.Single();
            var diagnostics = await AnalyzeAsync(project);
            var provider = new DescriptorCodeFixProvider();
            var fixAll = provider.GetFixAllProvider();
            Assert.NotNull(fixAll);
            Assert.Contains(FixAllScope.Solution, fixAll.GetSupportedFixAllScopes());
            var first = diagnostics.First(d => d.Location.IsInSource);
            var context = new FixAllContext(solution.GetDocument(first.Location.SourceTree)!, provider, FixAllScope.Solution, key!, ids,
                new FixedDiagnostics(diagnostics), CancellationToken.None);
            var action = await fixAll.GetFixAsync(context);
            Assert.True(action != null, "no Fix All action");
            var operations = await action!.GetOperationsAsync(CancellationToken.None);
            return operations.OfType<ApplyChangesOperation>().Single().ChangedSolution;
        }

        private static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(Project project)
        {
            var compilation = await project.GetCompilationAsync();
            return await compilation!.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new DescriptorAnalyzer())).GetAnalyzerDiagnosticsAsync();
        }

        private static Solution Solution(params (string Path, string Text)[] files)
        {
            var projectId = ProjectId.CreateNewId();
            var solution = new AdhocWorkspace().CurrentSolution
                .AddProject(projectId, "Consumer", "Consumer", LanguageNames.CSharp)
                .WithProjectCompilationOptions(projectId, Pipeline.CompilationOptions())
                .WithProjectParseOptions(projectId, Pipeline.ParseOptions)
                .AddMetadataReferences(projectId, References.All);
            foreach (var (path, text) in files)
                solution = solution.AddDocument(DocumentId.CreateNewId(projectId), System.IO.Path.GetFileName(path), SourceText.From(text), filePath: path);
            return solution;
        }

        private static async Task<string> TextAsync(Solution solution, string path) =>
            (await solution.Projects.Single().Documents.Single(d => d.FilePath == path).GetTextAsync()).ToString();

        /// <summary>The diagnostics of one analysis, as dotnet format hands them over.</summary>
        private sealed class FixedDiagnostics : FixAllContext.DiagnosticProvider
        {
            private readonly ImmutableArray<Diagnostic> _diagnostics;

            public FixedDiagnostics(ImmutableArray<Diagnostic> diagnostics) => _diagnostics = diagnostics;

            public override Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
                Task.FromResult<IEnumerable<Diagnostic>>(_diagnostics);

            public override Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken) =>
                Task.FromResult(_diagnostics.Where(d => d.Location.SourceTree?.FilePath == document.FilePath));

            public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
                Task.FromResult(Enumerable.Empty<Diagnostic>());
        }
    }
}
