using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Shootdown.Generator.Parsing;

namespace Shootdown.CodeFixes
{
    /// <summary>
    /// Changes the options of <c>[Gather(...)]</c>: adds a missing option, removes an unsafe or pointless one, or swaps one for
    /// another. Keeps the user's terms and their order when every term is a named option (<c>A | B</c>); otherwise rewrites the
    /// value from its constant. Adds <c>[Gather]</c> when the class has none.
    /// </summary>
    internal static class GatherOptionsEdit
    {
        /// <summary>
        /// The solution with <paramref name="remove"/> taken out and <paramref name="add"/> put in. A removed option that has
        /// a replacement takes its place in the list.
        /// </summary>
        public static async Task<Solution> ApplyAsync(Solution solution, INamedTypeSymbol type, GatherOptions add, GatherOptions remove,
            CancellationToken cancellationToken)
        {
            var gather = DescriptorDeclaration.Find(solution, type, AttributeNames.Gather, cancellationToken);
            if (gather is null) return await AddAttributeAsync(solution, type, add, cancellationToken).ConfigureAwait(false);

            var argument = DescriptorDeclaration.Argument(gather, 0);
            var model = await gather.Document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            var root = await gather.Document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            if (argument is null || model is null || root is null) return solution;

            var expression = argument.Expression;
            var rewritten = Rewrite(model, expression, add, remove, cancellationToken);
            if (rewritten is null) return solution;
            var replacement = SyntaxFactory.ParseExpression(rewritten).WithTriviaFrom(expression);
            return gather.Document.WithSyntaxRoot(root.ReplaceNode(expression, replacement)).Project.Solution;
        }

        /// <summary>True when the class can take the edit: [Gather] is absent, or present with a readable first argument.</summary>
        public static bool CanApply(Solution solution, INamedTypeSymbol type, CancellationToken cancellationToken)
        {
            var gather = DescriptorDeclaration.Find(solution, type, AttributeNames.Gather, cancellationToken);
            if (gather is null) return DescriptorDeclaration.Find(solution, type, AttributeNames.Architecture, cancellationToken) != null;
            return DescriptorDeclaration.Argument(gather, 0) != null && gather.Data.ConstructorArguments.Length == 1
                && gather.Data.ConstructorArguments[0].Value is int;
        }

        private static string? Rewrite(SemanticModel model, ExpressionSyntax expression, GatherOptions add, GatherOptions remove,
            CancellationToken cancellationToken)
        {
            var typeName = DescriptorDeclaration.TypeName(model, expression.SpanStart, nameof(GatherOptions));
            var terms = new List<ExpressionSyntax>();
            Flatten(expression, terms);
            var named = new List<(string Text, GatherOptions Value)>();
            foreach (var term in terms)
            {
                var value = NamedOption(model, term, cancellationToken);
                if (value is null) return FromConstant(model, expression, add, remove, typeName, cancellationToken);
                named.Add((term.ToString(), value.Value));
            }

            var qualifier = Qualifier(terms) ?? typeName;
            var result = new List<(string Text, GatherOptions Value)>();
            var present = named.Aggregate(GatherOptions.None, (all, t) => all | t.Value);
            var toAdd = Needed(add, present & ~remove);
            foreach (var term in named)
            {
                if ((term.Value & remove) != 0 && term.Value != GatherOptions.None)
                {
                    // The replacement takes the place of what it replaces: RcuTableFree -> TableFree stays where it was.
                    if (toAdd != GatherOptions.None && !result.Any(r => r.Value == toAdd))
                    {
                        result.Add((qualifier + "." + Name(toAdd), toAdd));
                        toAdd = GatherOptions.None;
                    }
                    continue;
                }
                result.Add(term);
            }
            foreach (var single in Singles(toAdd))
            {
                if (!result.Any(r => r.Value == single)) result.Add((qualifier + "." + Name(single), single));
            }
            if (result.Count > 1) result.RemoveAll(r => r.Value == GatherOptions.None);
            if (result.Count == 0) result.Add((qualifier + "." + nameof(GatherOptions.None), GatherOptions.None));
            return string.Join(" | ", result.Select(r => r.Text));
        }

        /// <summary>Casts, constants and other spellings: compute the new value and write it as named options.</summary>
        private static string? FromConstant(SemanticModel model, ExpressionSyntax expression, GatherOptions add, GatherOptions remove,
            string typeName, CancellationToken cancellationToken)
        {
            var constant = model.GetConstantValue(expression, cancellationToken);
            if (!constant.HasValue || constant.Value is not int raw) return null;
            var kept = (GatherOptions)raw & ~remove;
            var value = kept | Needed(add, kept);
            var names = Singles(value).Select(v => typeName + "." + Name(v)).ToList();
            var unknown = (int)value & ~(int)Singles(value).Aggregate(GatherOptions.None, (all, v) => all | v);
            // Parenthesised twice: "(GatherOptions)-256" would parse as a subtraction, and the cast binds tighter than "|".
            if (unknown != 0) names.Add("((" + typeName + ")(" + unknown.ToString(System.Globalization.CultureInfo.InvariantCulture) + "))");
            return names.Count == 0 ? typeName + "." + nameof(GatherOptions.None) : string.Join(" | ", names);
        }

        /// <summary>
        /// What of <paramref name="add"/> <paramref name="kept"/> does not already give: RcuTableFree selects TableFree
        /// (arch/Kconfig: MMU_GATHER_RCU_TABLE_FREE select MMU_GATHER_TABLE_FREE), so a fix that adds TableFree after one
        /// that added RcuTableFree, as Fix All applies them, adds nothing.
        /// </summary>
        private static GatherOptions Needed(GatherOptions add, GatherOptions kept)
        {
            var given = kept.HasFlag(GatherOptions.RcuTableFree) ? kept | GatherOptions.TableFree : kept;
            return add & ~given;
        }

        private static void Flatten(ExpressionSyntax expression, List<ExpressionSyntax> terms)
        {
            switch (expression)
            {
                case BinaryExpressionSyntax binary when binary.IsKind(SyntaxKind.BitwiseOrExpression):
                    Flatten(binary.Left, terms);
                    Flatten(binary.Right, terms);
                    break;
                case ParenthesizedExpressionSyntax parenthesized:
                    Flatten(parenthesized.Expression, terms);
                    break;
                default:
                    terms.Add(expression);
                    break;
            }
        }

        /// <summary>The option a term names (<c>GatherOptions.TableFree</c>), or null when it is anything else.</summary>
        private static GatherOptions? NamedOption(SemanticModel model, ExpressionSyntax term, CancellationToken cancellationToken)
        {
            if (model.GetSymbolInfo(term, cancellationToken).Symbol is not IFieldSymbol field) return null;
            if (field.ContainingType?.ToDisplayString() != "Shootdown.GatherOptions" || field.ConstantValue is not int value) return null;
            return (GatherOptions)value;
        }

        /// <summary>"Shootdown.GatherOptions" when the user wrote <c>Shootdown.GatherOptions.TableFree</c>: new terms match.</summary>
        private static string? Qualifier(List<ExpressionSyntax> terms)
        {
            foreach (var term in terms)
            {
                if (term is MemberAccessExpressionSyntax access) return access.Expression.ToString();
            }
            return null;
        }

        private static IEnumerable<GatherOptions> Singles(GatherOptions options)
        {
            for (var bit = 1; bit <= (int)GatherOptions.PageSize; bit <<= 1)
            {
                if (((int)options & bit) != 0) yield return (GatherOptions)bit;
            }
        }

        private static string Name(GatherOptions single) => single switch
        {
            GatherOptions.TableFree => nameof(GatherOptions.TableFree),
            GatherOptions.RcuTableFree => nameof(GatherOptions.RcuTableFree),
            GatherOptions.NoTableInvalidate => nameof(GatherOptions.NoTableInvalidate),
            GatherOptions.NoRange => nameof(GatherOptions.NoRange),
            GatherOptions.MergeVmas => nameof(GatherOptions.MergeVmas),
            GatherOptions.NoFlushCache => nameof(GatherOptions.NoFlushCache),
            GatherOptions.NoGather => nameof(GatherOptions.NoGather),
            GatherOptions.PageSize => nameof(GatherOptions.PageSize),
            _ => nameof(GatherOptions.None),
        };

        /// <summary>No [Gather] yet: add <c>[Gather(options)]</c> right after <c>[Architecture]</c>.</summary>
        private static async Task<Solution> AddAttributeAsync(Solution solution, INamedTypeSymbol type, GatherOptions add,
            CancellationToken cancellationToken)
        {
            var architecture = DescriptorDeclaration.Find(solution, type, AttributeNames.Architecture, cancellationToken);
            if (add == GatherOptions.None || architecture?.Syntax.Parent is not AttributeListSyntax list
                || list.Parent is not TypeDeclarationSyntax declaration) return solution;
            var model = await architecture.Document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            var root = await architecture.Document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            if (model is null || root is null) return solution;

            var typeName = DescriptorDeclaration.TypeName(model, list.SpanStart, nameof(GatherOptions));
            var value = string.Join(" | ", Singles(add).Select(v => typeName + "." + Name(v)));
            var attribute = SyntaxFactory.Attribute(
                SyntaxFactory.ParseName(DescriptorDeclaration.AttributeName(model, list.SpanStart, "Gather")),
                SyntaxFactory.ParseAttributeArgumentList("(" + value + ")"));
            var indentation = list.GetLeadingTrivia().Where(t => t.IsKind(SyntaxKind.WhitespaceTrivia)).LastOrDefault();
            var newList = SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(attribute))
                .WithLeadingTrivia(indentation == default ? SyntaxFactory.TriviaList() : SyntaxFactory.TriviaList(indentation))
                .WithTrailingTrivia(list.GetTrailingTrivia());
            var lists = declaration.AttributeLists.Insert(declaration.AttributeLists.IndexOf(list) + 1, newList);
            var newDeclaration = declaration.WithAttributeLists(lists);
            return architecture.Document.WithSyntaxRoot(root.ReplaceNode(declaration, newDeclaration)).Project.Solution;
        }
    }
}
