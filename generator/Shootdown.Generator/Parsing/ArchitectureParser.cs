using System.Collections.Generic;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Shootdown.Generator.Model;

namespace Shootdown.Generator.Parsing
{
    /// <summary>Turns an [Architecture] class into an equatable <see cref="ArchitectureModel"/>, or nothing if it is invalid.</summary>
    internal static class ArchitectureParser
    {
        public static bool IsCandidate(SyntaxNode node, CancellationToken _) =>
            node is ClassDeclarationSyntax || (node is RecordDeclarationSyntax record && record.ClassOrStructKeyword.Text != "struct");

        public static ParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            if (context.TargetSymbol is not INamedTypeSymbol type) return new ParseResult(null);
            if (ClassShape.Problems(type).Count > 0) return new ParseResult(null);
            var reading = DescriptorReader.Read(type, cancellationToken);
            var descriptor = reading.Descriptor;
            if (descriptor is null || reading.Problems.Count > 0 || DescriptorRules.HasErrors(descriptor)) return new ParseResult(null);

            var containers = new List<ContainingType>();
            for (var outer = type.ContainingType; outer != null; outer = outer.ContainingType)
            {
                cancellationToken.ThrowIfCancellationRequested();
                containers.Insert(0, new ContainingType(Keyword(outer), NameWithTypeParameters(outer), outer.IsStatic));
            }
            var ns = type.ContainingNamespace.IsGlobalNamespace ? null : type.ContainingNamespace.ToDisplayString();
            var model = new ArchitectureModel(ns, new EquatableArray<ContainingType>(containers.ToArray()), Identifier(type.Name),
                type.IsRecord ? "record" : "class", type.IsStatic, HintPrefix(ns, type), descriptor, NameableTypeName(type));
            return new ParseResult(model);
        }

        /// <summary>
        /// <c>global::Ns.Outer.Class</c> when code outside the class, in the same assembly, can name it; otherwise null:
        /// a <c>file</c> class, or a class that is or sits in a private, protected or generic type.
        /// </summary>
        private static string? NameableTypeName(INamedTypeSymbol type)
        {
            var parts = new List<string>();
            for (var t = type; t != null; t = t.ContainingType)
            {
                if (t.IsFileLocal || t.TypeParameters.Length > 0) return null;
                if (t.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal)) return null;
                parts.Insert(0, Identifier(t.Name));
            }
            for (var ns = type.ContainingNamespace; ns != null && !ns.IsGlobalNamespace; ns = ns.ContainingNamespace)
                parts.Insert(0, Identifier(ns.Name));
            return "global::" + string.Join(".", parts);
        }

        private static string Keyword(INamedTypeSymbol type)
        {
            if (type.IsRecord) return type.IsValueType ? "record struct" : "record";
            return type.TypeKind switch
            {
                TypeKind.Struct => "struct",
                TypeKind.Interface => "interface",
                _ => "class",
            };
        }

        private static string NameWithTypeParameters(INamedTypeSymbol type)
        {
            if (type.TypeParameters.Length == 0) return Identifier(type.Name);
            var b = new StringBuilder(Identifier(type.Name)).Append('<');
            for (var i = 0; i < type.TypeParameters.Length; i++)
            {
                if (i > 0) b.Append(", ");
                b.Append(Identifier(type.TypeParameters[i].Name));
            }
            return b.Append('>').ToString();
        }

        /// <summary>A name as it must be written in source: keywords need an @ (<c>@event</c>).</summary>
        private static string Identifier(string name) =>
            SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

        /// <summary>
        /// "Ns.Outer`1.X86_64": namespace, nesting and arity, so two classes never share a file name; @ is not allowed in
        /// a hint name. Names differing only in case are told apart later, once all of them are known.
        /// </summary>
        private static string HintPrefix(string? ns, INamedTypeSymbol type)
        {
            var parts = new List<string>();
            for (var t = type; t != null; t = t.ContainingType)
            {
                parts.Insert(0, t.TypeParameters.Length == 0 ? t.Name : t.Name + "`" + t.TypeParameters.Length);
            }
            if (ns != null) parts.Insert(0, ns);
            return string.Join(".", parts).Replace("@", "");
        }
    }
}
