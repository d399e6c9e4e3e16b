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

        /// <summary>The solution with <c>partial</c> on each of <paramref name="declarations"/>.</summary>
        public static async Task<Solution> ApplyAsync(Solution solution, IReadOnlyList<TypeDeclarationSyntax> declarations,
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
