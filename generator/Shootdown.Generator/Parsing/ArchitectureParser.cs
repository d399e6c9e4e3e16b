using System.Collections.Generic;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Shootdown.Generator.Model;

namespace Shootdown.Generator.Parsing
{
    /// <summary>Turns an [Architecture] class into an equatable <see cref="ArchitectureModel"/>, or nothing if it is structurally invalid.</summary>
    internal static class ArchitectureParser
    {
        public static bool IsCandidate(SyntaxNode node, CancellationToken _) =>
            node is ClassDeclarationSyntax || (node is RecordDeclarationSyntax record && record.ClassOrStructKeyword.Text != "struct");

        public static ParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            if (context.TargetSymbol is not INamedTypeSymbol type) return new ParseResult(null, null, null);
            var reading = DescriptorReader.Read(type, cancellationToken);
            var name = ArchitectureName(reading);
            var descriptor = reading.Descriptor;
            // One policy: a class gets no code when the code would not be well-defined: an attribute that does not read,
            // a class shape or name that cannot take the generated part, or a structural error in the descriptor. A race
            // (a Safety error) is generated as described, so the explorer can show it; its diagnostic stays. Judged by
            // the rule's category and default severity, never the configured one, so a suppression changes nothing here.
            var errors = new SortedSet<string>(System.StringComparer.Ordinal);
            foreach (var problem in ClassShape.Problems(type)) errors.Add(problem.Id);
            foreach (var problem in reading.Problems) errors.Add(problem.Id);
            if (descriptor != null)
            {
                foreach (var finding in DescriptorRules.Check(descriptor))
                    if (DescriptorRules.RefusesCode(finding.Rule)) errors.Add(finding.Id);
                if (GeneratedNames.Clashes(type, descriptor.FastGup, cancellationToken).Count > 0) errors.Add(DescriptorRules.GeneratedNameClash);
            }
            if (descriptor is null || errors.Count > 0) return new ParseResult(null, name, Refusal.Of(type, errors));

            var containers = new List<ContainingType>();
            for (var outer = type.ContainingType; outer != null; outer = outer.ContainingType)
            {
                cancellationToken.ThrowIfCancellationRequested();
                containers.Insert(0, new ContainingType(Keyword(outer), NameWithTypeParameters(outer), outer.IsStatic));
            }
            var ns = type.ContainingNamespace.IsGlobalNamespace ? null : type.ContainingNamespace.ToDisplayString();
            var model = new ArchitectureModel(Namespace(type.ContainingNamespace), new EquatableArray<ContainingType>(containers.ToArray()), Identifier(type.Name),
                type.IsRecord ? "record" : "class", type.IsStatic, HintPrefix(ns, type), descriptor, NameableTypeName(type));
            return new ParseResult(model, name, null);
        }

        /// <summary>The name in <c>[Architecture(name)]</c> as the analyzer counts it for SHD109, or null when blank or unreadable.</summary>
        private static string? ArchitectureName(DescriptorReading reading)
        {
            if (!reading.Attributes.TryGetValue(AttributeNames.Architecture, out var architecture)) return null;
            var name = architecture.ConstructorArguments.Length > 0 ? architecture.ConstructorArguments[0].Value as string : null;
            return name != null && name.Trim().Length > 0 ? name : null;
        }

        /// <summary>The namespace as it must be written, each part escaped: <c>@file.@async</c>; null for the global namespace.</summary>
        private static string? Namespace(INamespaceSymbol ns)
        {
            if (ns.IsGlobalNamespace) return null;
            var parts = new List<string>();
            for (var n = ns; n != null && !n.IsGlobalNamespace; n = n.ContainingNamespace) parts.Insert(0, Identifier(n.Name));
            return string.Join(".", parts);
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

        /// <summary>
        /// A name as it must be written in source: keywords need an @ (<c>@event</c>), and so do contextual ones, which some
        /// positions refuse as type names (<c>file</c>, <c>required</c>, <c>scoped</c>, <c>record</c>: CS9056, CS9029, CS9062).
        /// An @ on any identifier is legal, so escaping every contextual keyword is always safe.
        /// </summary>
        private static string Identifier(string name) =>
            SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(name) != SyntaxKind.None
                ? "@" + name : name;

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
