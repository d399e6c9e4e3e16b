using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Shootdown.Generator.Parsing
{
    /// <summary>Checks that a descriptor class can take generated members: partial all the way out, not generic.</summary>
    internal static class ClassShape
    {
        public static List<ReadProblem> Problems(INamedTypeSymbol type)
        {
            var problems = new List<ReadProblem>();
            if (!IsPartial(type))
                problems.Add(new ReadProblem(DescriptorRules.NotPartial, DescriptorSlot.Class, null,
                    $"Architecture class '{type.Name}' must be declared partial so the generated MmuGather can be added to it"));
            if (type.TypeParameters.Length > 0)
                problems.Add(new ReadProblem(DescriptorRules.Generic, DescriptorSlot.Class, null,
                    $"Architecture class '{type.Name}' must not be generic: an architecture is one fixed configuration"));
            for (var outer = type.ContainingType; outer != null; outer = outer.ContainingType)
            {
                if (!IsPartial(outer))
                {
                    problems.Add(new ReadProblem(DescriptorRules.NestedInNonPartial, DescriptorSlot.Class, null,
                        $"Architecture class '{type.Name}' is nested in '{outer.Name}', which is not partial; make '{outer.Name}' partial or move the class out"));
                    break;
                }
            }
            return problems;
        }

        /// <summary>True when every declaration of <paramref name="type"/> carries the partial modifier.</summary>
        public static bool IsPartial(INamedTypeSymbol type)
        {
            var refs = type.DeclaringSyntaxReferences;
            if (refs.Length == 0) return false;
            foreach (var r in refs)
            {
                if (r.GetSyntax() is not TypeDeclarationSyntax declaration) return false;
                if (!declaration.Modifiers.Any(SyntaxKind.PartialKeyword)) return false;
            }
            return true;
        }
    }
}
