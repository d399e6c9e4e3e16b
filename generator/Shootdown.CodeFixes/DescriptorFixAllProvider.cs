using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Shootdown.CodeFixes
{
    /// <summary>
    /// Fix All for descriptor diagnostics, in a document, a project or the solution. The batch fixer would compute every fix
    /// against the original text and merge the edits: two fixes on one class rewrite the same <c>[Gather]</c> argument (SHD001
    /// adds TableFree, SHD002 swaps TableFree for RcuTableFree) and one of the overlapping edits is dropped. It also keeps only
    /// actions whose key is the one asked for, and dotnet format asks with the key of whichever diagnostic it met first, so
    /// for any other rule it got no action at all. Here the chosen fixes run one after another, each on the class as the one
    /// before left it.
    /// </summary>
    internal sealed class DescriptorFixAllProvider : FixAllProvider
    {
        public static DescriptorFixAllProvider Instance { get; } = new();

        private DescriptorFixAllProvider()
        {
        }

        /// <inheritdoc/>
        public override IEnumerable<FixAllScope> GetSupportedFixAllScopes() =>
            new[] { FixAllScope.Document, FixAllScope.Project, FixAllScope.Solution };

        /// <inheritdoc/>
        public override async Task<CodeAction?> GetFixAsync(FixAllContext fixAllContext)
        {
            var diagnostics = await DiagnosticsAsync(fixAllContext).ConfigureAwait(false);
            if (diagnostics.Count == 0) return null;
            var key = fixAllContext.CodeActionEquivalenceKey;
            // A key of a rule being fixed picks that fix (the IDE's "fix all like this one"); no key, or one of a rule outside
            // the set (dotnet format's), means each diagnostic's preferred fix, the first offered.
            var exact = key != null && fixAllContext.DiagnosticIds.Any(id => key.StartsWith(id + ".", StringComparison.Ordinal));
            var solution = fixAllContext.Solution;
            return CodeAction.Create(Title(fixAllContext),
                cancellationToken => ApplyAsync(solution, diagnostics, exact ? key : null, cancellationToken),
                key ?? "Shootdown.FixAll");
        }

        private static string Title(FixAllContext context)
        {
            var ids = string.Join(", ", context.DiagnosticIds.OrderBy(id => id, StringComparer.Ordinal));
            return context.Scope switch
            {
                FixAllScope.Document => $"Fix all {ids} in {context.Document?.Name}",
                FixAllScope.Project => $"Fix all {ids} in {context.Project.Name}",
                _ => $"Fix all {ids} in the solution",
            };
        }

        private static async Task<List<Diagnostic>> DiagnosticsAsync(FixAllContext context)
        {
            var found = new List<Diagnostic>();
            switch (context.Scope)
            {
                case FixAllScope.Document when context.Document != null:
                    found.AddRange(await context.GetDocumentDiagnosticsAsync(context.Document).ConfigureAwait(false));
                    break;
                case FixAllScope.Project:
                    found.AddRange(await context.GetAllDiagnosticsAsync(context.Project).ConfigureAwait(false));
                    break;
                case FixAllScope.Solution:
                    foreach (var project in context.Solution.Projects)
                        found.AddRange(await context.GetAllDiagnosticsAsync(project).ConfigureAwait(false));
                    break;
            }
            return found
                .Where(d => d.Location.IsInSource && context.DiagnosticIds.Contains(d.Id))
                .OrderBy(d => d.Location.SourceTree!.FilePath, StringComparer.Ordinal)
                .ThenBy(d => d.Location.SourceSpan.Start)
                .ToList();
        }

        /// <summary>
        /// Chooses each diagnostic's fix against the original solution, marks the declaration it is on, then applies the fixes
        /// in order, finding each class again by its mark in the solution the previous fixes produced.
        /// </summary>
        private static async Task<Solution> ApplyAsync(Solution solution, IReadOnlyList<Diagnostic> diagnostics, string? key,
            CancellationToken cancellationToken)
        {
            var plan = new List<(DocumentId Document, TypeDeclarationSyntax Declaration, DescriptorFix Fix)>();
            foreach (var diagnostic in diagnostics)
            {
                var document = solution.GetDocument(diagnostic.Location.SourceTree);
                if (document is null) continue;
                var declaration = await DescriptorDeclaration.DeclarationAtAsync(document, diagnostic, cancellationToken).ConfigureAwait(false);
                var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
                if (declaration is null || model?.GetDeclaredSymbol(declaration, cancellationToken) is not INamedTypeSymbol type) continue;
                var fixes = await DescriptorFixes.ForAsync(diagnostic, solution, type, cancellationToken).ConfigureAwait(false);
                var fix = key is null ? fixes.FirstOrDefault() : fixes.FirstOrDefault(f => f.EquivalenceKey == key);
                if (fix != null) plan.Add((document.Id, declaration, fix));
            }

            var marks = new Dictionary<TypeDeclarationSyntax, SyntaxAnnotation>();
            foreach (var group in plan.GroupBy(p => p.Document))
            {
                var declarations = group.Select(p => p.Declaration).Distinct().ToList();
                foreach (var declaration in declarations) marks[declaration] = new SyntaxAnnotation(nameof(DescriptorFixAllProvider));
                var root = await solution.GetDocument(group.Key)!.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
                if (root is null) continue;
                solution = solution.WithDocumentSyntaxRoot(group.Key,
                    root.ReplaceNodes(declarations, (original, rewritten) => rewritten.WithAdditionalAnnotations(marks[original])));
            }

            foreach (var (documentId, declaration, fix) in plan)
            {
                var document = solution.GetDocument(documentId);
                var root = document is null ? null : await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
                var marked = root?.GetAnnotatedNodes(marks[declaration]).OfType<TypeDeclarationSyntax>().FirstOrDefault();
                var model = marked is null ? null : await document!.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
                if (model?.GetDeclaredSymbol(marked!, cancellationToken) is INamedTypeSymbol type)
                    solution = await fix.Apply(solution, type, cancellationToken).ConfigureAwait(false);
            }
            return solution;
        }
    }
}
