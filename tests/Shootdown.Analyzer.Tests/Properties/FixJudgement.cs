extern alias analyzers;

using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using Shootdown.Analyzer.Tests.Harness;
using DescriptorCodeFixProvider = analyzers::Shootdown.CodeFixes.DescriptorCodeFixProvider;

namespace Shootdown.Analyzer.Tests.Properties
{
    /// <summary>
    /// Applies every fix the fixer offers on a program, each on its own, and names every way one fails the user: the fixed
    /// program (generated code included) has a compiler error the original had not, the diagnostic it fixed is still on its
    /// class, or an SHD error appears that was not there. The empty list means every fix holds; the count of fixes applied
    /// is returned beside it so a property can tell that fixes were tried at all.
    /// </summary>
    internal static class FixJudgement
    {
        private static readonly DescriptorCodeFixProvider Fixer = new();

        public static async Task<(IReadOnlyList<string> Failures, int Applied)> JudgeAsync(IReadOnlyList<string> texts)
        {
            var failures = new List<string>();
            var files = texts.Select((text, i) => new SourceFile("/src/F" + i + ".cs", text)).ToList();
            var before = await Pipeline.RunAsync(files, runGenerator: true).ConfigureAwait(false);
            var errorsBefore = CompilerErrors(before);
            var shdBefore = ShdErrors(before);

            // The fixer finds its class by the diagnostic's span, and the workspace holds the same texts: the diagnostics of
            // the run above serve, without analysing the program a second time.
            var project = Solution(files).Projects.Single();
            var applied = 0;
            foreach (var diagnostic in before.Diagnostics.Where(d => Fixer.FixableDiagnosticIds.Contains(d.Id) && !d.IsSuppressed && d.Location.IsInSource))
            {
                var document = project.Documents.Single(d => d.FilePath == diagnostic.Location.SourceTree!.FilePath);
                var actions = new List<CodeAction>();
                await Fixer.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None)).ConfigureAwait(false);
                var owner = Owner(diagnostic);
                foreach (var action in actions)
                {
                    applied++;
                    var name = $"{diagnostic.Id} on {owner} by '{action.Title}'";
                    var operations = await action.GetOperationsAsync(CancellationToken.None).ConfigureAwait(false);
                    var change = operations.OfType<ApplyChangesOperation>().SingleOrDefault();
                    if (change is null) { failures.Add(name + ": no single solution change"); continue; }
                    var fixedFiles = new List<SourceFile>();
                    foreach (var fixedDocument in change.ChangedSolution.Projects.Single().Documents)
                        fixedFiles.Add(new SourceFile(fixedDocument.FilePath!, (await fixedDocument.GetTextAsync().ConfigureAwait(false)).ToString()));
                    var after = await Pipeline.RunAsync(fixedFiles, runGenerator: true).ConfigureAwait(false);
                    if (after.Exceptions.Length > 0) failures.Add(name + ": exception " + after.Exceptions[0].Message);

                    var errorsAfter = CompilerErrors(after);
                    var added = errorsAfter.Where(e => e.Value > errorsBefore.GetValueOrDefault(e.Key)).Select(e => e.Key).ToList();
                    if (added.Count > 0)
                        failures.Add(name + ": does not compile (" + string.Join("; ", after.Diagnostics.Concat(after.GeneratorDiagnostics)
                            .Where(d => added.Contains(d.Id) && d.Severity == DiagnosticSeverity.Error).Take(3)) + ")");
                    if (after.Diagnostics.Concat(after.GeneratorDiagnostics).Any(d => d.Id == diagnostic.Id && Owner(d) == owner))
                        failures.Add(name + ": the diagnostic is still there");
                    var shdAfter = ShdErrors(after);
                    var newShd = shdAfter.Where(e => !shdBefore.Contains(e)).ToList();
                    if (newShd.Count > 0) failures.Add(name + ": new SHD error " + string.Join(", ", newShd));
                    if (failures.Count > 0) failures.Add("fixed text:\n" + string.Join("\n// ---- next file ----\n", fixedFiles.Select(f => f.Text)));
                    if (failures.Count > 0) return (failures, applied);
                }
            }
            return (failures, applied);
        }

        // Compiler errors by ID, counted over the user's files and the generated ones: the fixed program must have none the
        // original had not (a program the compiler refused already may keep its own errors).
        private static Dictionary<string, int> CompilerErrors(PipelineResult result) =>
            result.Diagnostics.Concat(result.GeneratorDiagnostics)
                .Where(d => d.Severity == DiagnosticSeverity.Error && !d.Id.StartsWith("SHD", System.StringComparison.Ordinal))
                .GroupBy(d => d.Id).ToDictionary(g => g.Key, g => g.Count());

        // SHD diagnostics of error severity by default (suppressed or not), each with the class it is on.
        private static HashSet<string> ShdErrors(PipelineResult result) =>
            result.Diagnostics.Concat(result.GeneratorDiagnostics)
                .Where(d => d.Id.StartsWith("SHD", System.StringComparison.Ordinal) && d.DefaultSeverity == DiagnosticSeverity.Error)
                .Select(d => d.Id + " on " + Owner(d)).ToHashSet();

        /// <summary>The class a diagnostic is on, by its nesting of type names: stable across edits that move text.</summary>
        private static string Owner(Diagnostic d)
        {
            if (!d.Location.IsInSource) return "(compilation)";
            var node = d.Location.SourceTree!.GetRoot().FindNode(d.Location.SourceSpan, getInnermostNodeForTie: true);
            var names = node.AncestorsAndSelf().OfType<TypeDeclarationSyntax>().Select(t => t.Identifier.ValueText + (t.TypeParameterList is null ? "" : "`" + t.TypeParameterList.Parameters.Count)).Reverse();
            return string.Join(".", names);
        }

        private static Solution Solution(IEnumerable<SourceFile> files)
        {
            var projectId = ProjectId.CreateNewId();
            var solution = new AdhocWorkspace().CurrentSolution
                .AddProject(projectId, "Test", "Test", LanguageNames.CSharp)
                .WithProjectCompilationOptions(projectId, Pipeline.CompilationOptions())
                .WithProjectParseOptions(projectId, Pipeline.ParseOptions)
                .AddMetadataReferences(projectId, References.All);
            foreach (var file in files)
                solution = solution.AddDocument(DocumentId.CreateNewId(projectId), System.IO.Path.GetFileName(file.Path), SourceText.From(file.Text), filePath: file.Path);
            return solution;
        }
    }
}
