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
using DescriptorAnalyzer = analyzers::Shootdown.Generator.Analyzers.DescriptorAnalyzer;
using DescriptorCodeFixProvider = analyzers::Shootdown.CodeFixes.DescriptorCodeFixProvider;

namespace Shootdown.Analyzer.Tests.Harness
{
    /// <summary>Runs the code fixes in a workspace the way an IDE does: analyze, ask for fixes, apply one, read the text back.</summary>
    internal static class CodeFixRunner
    {
        /// <summary>Applies fix number <paramref name="index"/> for diagnostic <paramref name="id"/> and checks the result.</summary>
        public static async Task VerifyAsync(string before, string after, string id, int index = 0, string? title = null)
        {
            var document = CreateDocument(before);
            var (diagnostic, actions) = await FixesAsync(document, id);
            Assert.True(actions.Count > index, $"{actions.Count} fixes offered for {id}: {string.Join(", ", actions.Select(a => a.Title))}");
            var action = actions[index];
            if (title != null) Assert.Equal(title, action.Title);

            var operations = await action.GetOperationsAsync(CancellationToken.None);
            var changed = operations.OfType<ApplyChangesOperation>().Single().ChangedSolution;
            var text = (await changed.GetDocument(document.Id)!.GetTextAsync()).ToString();
            Assert.Equal(after, text);

            var remaining = await AnalyzerDiagnosticsAsync(changed.GetDocument(document.Id)!);
            Assert.DoesNotContain(remaining, d => d.Id == id && d.Location.SourceSpan.Start >= 0 && SameClass(d, diagnostic));
            var compile = await changed.GetDocument(document.Id)!.Project.GetCompilationAsync();
            Assert.Empty(compile!.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        }

        /// <summary>The diagnostic is reported, and no fix is offered for it.</summary>
        public static async Task VerifyNoFixAsync(string source, string id)
        {
            var (_, actions) = await FixesAsync(CreateDocument(source), id);
            Assert.Empty(actions);
        }

        /// <summary>The titles of the fixes offered for <paramref name="id"/>.</summary>
        public static async Task<IReadOnlyList<string>> TitlesAsync(string source, string id)
        {
            var (_, actions) = await FixesAsync(CreateDocument(source), id);
            return actions.Select(a => a.Title).ToList();
        }

        private static async Task<(Diagnostic Diagnostic, List<CodeAction> Actions)> FixesAsync(Document document, string id)
        {
            var diagnostics = await AnalyzerDiagnosticsAsync(document);
            var diagnostic = diagnostics.FirstOrDefault(d => d.Id == id);
            Assert.True(diagnostic != null, $"{id} not reported; got {string.Join(", ", diagnostics.Select(d => d.Id))}");
            var provider = new DescriptorCodeFixProvider();
            var actions = new List<CodeAction>();
            if (provider.FixableDiagnosticIds.Contains(id))
            {
                var context = new CodeFixContext(document, diagnostic!, (action, _) => actions.Add(action), CancellationToken.None);
                await provider.RegisterCodeFixesAsync(context);
            }
            return (diagnostic!, actions);
        }

        private static bool SameClass(Diagnostic a, Diagnostic b) => a.Location.SourceTree?.FilePath == b.Location.SourceTree?.FilePath;

        private static async Task<ImmutableArray<Diagnostic>> AnalyzerDiagnosticsAsync(Document document)
        {
            var compilation = await document.Project.GetCompilationAsync();
            return await compilation!.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new DescriptorAnalyzer()))
                .GetAnalyzerDiagnosticsAsync();
        }

        private static Document CreateDocument(string source)
        {
            var workspace = new AdhocWorkspace();
            var projectId = ProjectId.CreateNewId();
            var solution = workspace.CurrentSolution
                .AddProject(projectId, "Test", "Test", LanguageNames.CSharp)
                .WithProjectCompilationOptions(projectId, Pipeline.CompilationOptions())
                .WithProjectParseOptions(projectId, Pipeline.ParseOptions)
                .AddMetadataReferences(projectId, References.All);
            var documentId = DocumentId.CreateNewId(projectId);
            solution = solution.AddDocument(documentId, "Test.cs", SourceText.From(source), filePath: "/src/Test.cs");
            return solution.GetDocument(documentId)!;
        }
    }
}
