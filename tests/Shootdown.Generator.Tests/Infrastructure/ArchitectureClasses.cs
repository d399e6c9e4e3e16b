using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Shootdown.Generator.Tests.Infrastructure
{
    /// <summary>The classes of a compilation that carry [Architecture], found independently of the generator.</summary>
    internal static class ArchitectureClasses
    {
        public static IEnumerable<INamedTypeSymbol> In(Compilation compilation)
        {
            foreach (var tree in compilation.SyntaxTrees)
            {
                var model = compilation.GetSemanticModel(tree);
                foreach (var declaration in tree.GetRoot().DescendantNodes().OfType<TypeDeclarationSyntax>())
                {
                    if (model.GetDeclaredSymbol(declaration) is not INamedTypeSymbol type) continue;
                    if (type.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == "Shootdown.ArchitectureAttribute"))
                        yield return type;
                }
            }
        }
    }
}
