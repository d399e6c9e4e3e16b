using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Shootdown.CodeFixes
{
    /// <summary>Adds the <c>partial</c> modifier to every declaration of some types, so generated members can join them.</summary>
    internal static class PartialEdit
    {
        /// <summary>The declarations of <paramref name="types"/> that lack <c>partial</c>.</summary>
        public static List<TypeDeclarationSyntax> MissingPartial(IEnumerable<INamedTypeSymbol> types, CancellationToken cancellationToken)
        {
            var missing = new List<TypeDeclarationSyntax>();
            foreach (var type in types)
            {
                foreach (var reference in type.DeclaringSyntaxReferences)
                {
                    if (reference.GetSyntax(cancellationToken) is TypeDeclarationSyntax declaration
                        && !declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
                        missing.Add(declaration);
                }
            }
            return missing;
        }

        /// <summary>The types that enclose <paramref name="type"/>, innermost first.</summary>
        public static IEnumerable<INamedTypeSymbol> Containers(INamedTypeSymbol type)
        {
            for (var outer = type.ContainingType; outer != null; outer = outer.ContainingType) yield return outer;
        }

        /// <summary>
        /// True when some declaration of <paramref name="types"/> lacks <c>partial</c> and adding it merges the parts without a
        /// new compiler error: a <c>partial record</c> part and a <c>class</c> part (CS0261), a <c>static</c> and a
        /// <c>sealed</c> part (CS0441), parts of different accessibility (CS0262) or base class (CS0263) are one type only by
        /// name, and no modifier makes them one.
        /// </summary>
        public static async Task<bool> CanApplyAsync(Solution solution, IEnumerable<INamedTypeSymbol> types, CancellationToken cancellationToken)
        {
            var declarations = MissingPartial(types, cancellationToken);
            if (declarations.Count == 0) return false;
            var project = solution.GetDocument(declarations[0].SyntaxTree)?.Project;
            if (project is null) return false;
            var before = await project.GetCompilationAsync(cancellationToken).ConfigureAwait(false);
            var fixedProject = (await ApplyAsync(solution, declarations, cancellationToken).ConfigureAwait(false)).GetProject(project.Id);
            var after = fixedProject is null ? null : await fixedProject.GetCompilationAsync(cancellationToken).ConfigureAwait(false);
            if (before is null || after is null) return false;
            return !MoreErrors(before.GetDeclarationDiagnostics(cancellationToken), after.GetDeclarationDiagnostics(cancellationToken));
        }

        /// <summary>The solution with <c>partial</c> on every declaration of <paramref name="types"/>, as they are in it.</summary>
        public static Task<Solution> ApplyAsync(Solution solution, IEnumerable<INamedTypeSymbol> types, CancellationToken cancellationToken) =>
            ApplyAsync(solution, MissingPartial(types, cancellationToken), cancellationToken);

        /// <summary>True when some error ID is reported more often in <paramref name="after"/> than in <paramref name="before"/>.</summary>
        private static bool MoreErrors(IEnumerable<Diagnostic> before, IEnumerable<Diagnostic> after)
        {
            var counts = new Dictionary<string, int>();
            foreach (var d in before.Where(d => d.Severity == DiagnosticSeverity.Error))
                counts[d.Id] = counts.TryGetValue(d.Id, out var n) ? n + 1 : 1;
            foreach (var d in after.Where(d => d.Severity == DiagnosticSeverity.Error))
            {
                counts[d.Id] = counts.TryGetValue(d.Id, out var n) ? n - 1 : -1;
                if (counts[d.Id] < 0) return true;
            }
            return false;
        }

        /// <summary>The solution with <c>partial</c> on each of <paramref name="declarations"/>.</summary>
        private static async Task<Solution> ApplyAsync(Solution solution, IReadOnlyList<TypeDeclarationSyntax> declarations,
            CancellationToken cancellationToken)
        {
            foreach (var group in declarations.GroupBy(d => d.SyntaxTree))
            {
                var document = solution.GetDocument(group.Key);
                if (document is null) continue;
                var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
                if (root is null) continue;
                var newRoot = root.ReplaceNodes(group, (_, rewritten) => AddPartial(rewritten));
                solution = document.WithSyntaxRoot(newRoot).Project.Solution;
            }
            return solution;
        }

        /// <summary>
        /// <c>partial</c> goes last, right before the keyword (CS0267); with no modifiers it takes over the keyword's indentation.
        /// </summary>
        private static TypeDeclarationSyntax AddPartial(TypeDeclarationSyntax declaration)
        {
            if (declaration.Modifiers.Any(SyntaxKind.PartialKeyword)) return declaration;
            if (declaration.Modifiers.Count == 0)
            {
                var keyword = declaration.Keyword;
                var partial = SyntaxFactory.Token(keyword.LeadingTrivia, SyntaxKind.PartialKeyword, SyntaxFactory.TriviaList(SyntaxFactory.Space));
                return declaration.WithKeyword(keyword.WithLeadingTrivia(SyntaxFactory.TriviaList()))
                    .WithModifiers(SyntaxFactory.TokenList(partial));
            }
            return declaration.WithModifiers(declaration.Modifiers.Add(
                SyntaxFactory.Token(SyntaxKind.PartialKeyword).WithTrailingTrivia(SyntaxFactory.Space)));
        }
    }
}
