using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Shootdown.Generator.Parsing;

namespace Shootdown.CodeFixes
{
    /// <summary>Sets how fast GUP reads a PTE: <c>[FastGup(PteRead.X)]</c>, writing the argument when it is left out.</summary>
    internal static class PteReadEdit
    {
        /// <summary>True when the class has a [FastGup] whose read can be rewritten.</summary>
        public static bool CanApply(Solution solution, INamedTypeSymbol type, CancellationToken cancellationToken) =>
            DescriptorDeclaration.Find(solution, type, AttributeNames.FastGup, cancellationToken) != null;

        /// <summary>The solution with [FastGup] reading PTEs by <paramref name="read"/>.</summary>
        public static async Task<Solution> ApplyAsync(Solution solution, INamedTypeSymbol type, PteRead read, CancellationToken cancellationToken)
        {
            var fastGup = DescriptorDeclaration.Find(solution, type, AttributeNames.FastGup, cancellationToken);
            if (fastGup is null) return solution;
            var model = await fastGup.Document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            var root = await fastGup.Document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            if (model is null || root is null) return solution;

            var value = DescriptorDeclaration.TypeName(model, fastGup.Syntax.SpanStart, nameof(PteRead)) + "."
                + (read == PteRead.LowHighSplit ? nameof(PteRead.LowHighSplit) : nameof(PteRead.SingleLoad));
            var argument = DescriptorDeclaration.Argument(fastGup, 0);
            SyntaxNode newRoot;
            if (argument != null)
            {
                newRoot = root.ReplaceNode(argument.Expression, SyntaxFactory.ParseExpression(value).WithTriviaFrom(argument.Expression));
            }
            else
            {
                var arguments = SyntaxFactory.ParseAttributeArgumentList("(" + value + ")");
                newRoot = root.ReplaceNode(fastGup.Syntax, fastGup.Syntax.WithArgumentList(arguments));
            }
            return fastGup.Document.WithSyntaxRoot(newRoot).Project.Solution;
        }
    }
}
