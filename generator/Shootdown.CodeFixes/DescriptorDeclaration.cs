using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Shootdown.Generator.Parsing;

namespace Shootdown.CodeFixes
{
    /// <summary>An attribute application found through the symbol: its data, its syntax and the document that holds it.</summary>
    internal sealed record AttributeSite(AttributeData Data, AttributeSyntax Syntax, Document Document);

    /// <summary>Finds the architecture class a diagnostic is on, and its descriptor attributes wherever they are written.</summary>
    internal static class DescriptorDeclaration
    {
        /// <summary>The class symbol whose declaration (or attribute) contains the diagnostic.</summary>
        public static async Task<INamedTypeSymbol?> ClassAtAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            var declaration = await DeclarationAtAsync(document, diagnostic, cancellationToken).ConfigureAwait(false);
            var model = declaration is null ? null : await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            return model?.GetDeclaredSymbol(declaration!, cancellationToken) as INamedTypeSymbol;
        }

        /// <summary>The innermost type declaration that contains the diagnostic, or null.</summary>
        public static async Task<TypeDeclarationSyntax?> DeclarationAtAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            if (root is null || !diagnostic.Location.IsInSource) return null;
            var span = diagnostic.Location.SourceSpan;
            if (span.End > root.FullSpan.End) return null;
            for (SyntaxNode? current = root.FindNode(span, getInnermostNodeForTie: true); current != null; current = current.Parent)
            {
                if (current is TypeDeclarationSyntax declaration) return declaration;
            }
            return null;
        }

        /// <summary>Where <paramref name="metadataName"/> is applied to <paramref name="type"/>, or null.</summary>
        public static AttributeSite? Find(Solution solution, INamedTypeSymbol type, string metadataName, CancellationToken cancellationToken)
        {
            foreach (var data in type.GetAttributes())
            {
                if (data.AttributeClass?.ToDisplayString() != metadataName) continue;
                var reference = data.ApplicationSyntaxReference;
                if (reference?.GetSyntax(cancellationToken) is not AttributeSyntax syntax) return null;
                var document = solution.GetDocument(reference.SyntaxTree);
                return document is null ? null : new AttributeSite(data, syntax, document);
            }
            return null;
        }

        /// <summary>The written constructor argument at <paramref name="position"/> of <paramref name="site"/>, or null.</summary>
        public static AttributeArgumentSyntax? Argument(AttributeSite site, int position) =>
            ArgumentLocator.Argument(site.Data, site.Syntax, position, null);

        /// <summary>
        /// How to write the type <c>Shootdown.<paramref name="name"/></c> at <paramref name="position"/>: the short name when it binds
        /// there (a <c>using Shootdown;</c> is in scope), else fully qualified.
        /// </summary>
        public static string TypeName(SemanticModel model, int position, string name)
        {
            foreach (var symbol in model.LookupNamespacesAndTypes(position, null, name))
            {
                if (symbol is INamedTypeSymbol named && named.ToDisplayString() == "Shootdown." + name) return name;
            }
            return "global::Shootdown." + name;
        }

        /// <summary>How to write attribute <c>Shootdown.<paramref name="shortName"/>Attribute</c> at <paramref name="position"/>.</summary>
        public static string AttributeName(SemanticModel model, int position, string shortName)
        {
            var full = TypeName(model, position, shortName + "Attribute");
            return full.StartsWith("global::", System.StringComparison.Ordinal) ? "global::Shootdown." + shortName : shortName;
        }
    }
}
