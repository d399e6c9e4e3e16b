using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Shootdown.Generator.Parsing
{
    /// <summary>A declaration that keeps the generator from adding its members, and where it is written.</summary>
    internal sealed record NameClash(string Message, Location Location);

    /// <summary>
    /// The names the generator adds to an architecture class (<c>Descriptor</c>, <c>Ops</c>, <c>MmuGather</c> and, with fast
    /// GUP, <c>FastGup</c>), and the user declarations that would collide with them: a member or nested type of that name in
    /// any part of the class (CS0102), the class itself named so (CS0542), or a <c>file</c> class, which no other file can
    /// extend (CS0260 from the generated part). The generator emits nothing for such a class; the analyzer reports SHD115.
    /// </summary>
    internal static class GeneratedNames
    {
        /// <summary>Where Roslyn places this generator's files: "&lt;assembly&gt;/&lt;generator type&gt;/&lt;hint&gt;".</summary>
        private const string GeneratedPathMarker = "Shootdown.Generator.ShootdownGenerator";

        /// <summary>The members the generator adds to a class with or without fast GUP.</summary>
        public static IReadOnlyList<string> Of(bool fastGup) =>
            fastGup ? new[] { "Descriptor", "Ops", "MmuGather", "FastGup" } : new[] { "Descriptor", "Ops", "MmuGather" };

        public static List<NameClash> Clashes(INamedTypeSymbol type, bool fastGup, CancellationToken cancellationToken)
        {
            var clashes = new List<NameClash>();
            var className = ArgumentLocator.ClassName(type);
            if (type.IsFileLocal)
            {
                clashes.Add(new NameClash(
                    $"Architecture class '{type.Name}' is a file-local type: no generated file can add its members to it; remove the 'file' modifier", className));
                return clashes;
            }
            // Generated code names everything from global:: (global::System..., global::Shootdown...); a type of that name in
            // the global namespace makes global::System mean the type, and no spelling reaches the namespace again.
            foreach (var root in new[] { "System", "Shootdown" })
            {
                foreach (var hiding in type.ContainingAssembly.GlobalNamespace.GetTypeMembers(root))
                {
                    var at = hiding.Locations.Length > 0 && hiding.Locations[0].IsInSource ? hiding.Locations[0] : className;
                    clashes.Add(new NameClash(
                        $"Type '{root}' in the global namespace hides the namespace global::{root} that the code generated for '{type.Name}' uses; move the type into a namespace or rename it", at));
                }
            }
            // Generated code names the runtime's types as global::Shootdown.X and global::Shootdown.Simulation.X; a type of the
            // same name that this assembly declares in those namespaces is what such a name then binds to.
            var runtime = RuntimeAssembly(type);
            if (runtime != null)
            {
                foreach (var path in new[] { new[] { "Shootdown" }, new[] { "Shootdown", "Simulation" } })
                {
                    var mine = Namespace(type.ContainingAssembly.GlobalNamespace, path);
                    var theirs = Namespace(runtime.GlobalNamespace, path);
                    if (mine is null || theirs is null) continue;
                    foreach (var hiding in mine.GetTypeMembers())
                    {
                        if (theirs.GetTypeMembers(hiding.Name).Length == 0) continue;
                        var at = hiding.Locations.Length > 0 && hiding.Locations[0].IsInSource ? hiding.Locations[0] : className;
                        var full = string.Join(".", path) + "." + hiding.Name;
                        clashes.Add(new NameClash(
                            $"Type '{full}' hides the runtime's {full}, which the code generated for '{type.Name}' uses; rename it or move it out of the {string.Join(".", path)} namespace", at));
                    }
                }
            }
            foreach (var name in Of(fastGup))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (type.Name == name)
                    clashes.Add(new NameClash(
                        $"Architecture class '{type.Name}' has the name of the member '{name}' the generator adds to it; rename the class", className));
                foreach (var member in type.GetMembers(name))
                {
                    var declaration = UserDeclaration(member, cancellationToken);
                    if (declaration is null) continue;
                    clashes.Add(new NameClash(
                        $"'{name}' is declared by architecture class '{type.Name}' and also generated into it; rename or remove this member", declaration));
                }
            }
            return clashes;
        }

        // The assembly the descriptor attributes come from: Shootdown.Runtime, whose types the generated code names.
        private static IAssemblySymbol? RuntimeAssembly(INamedTypeSymbol type)
        {
            foreach (var attribute in type.GetAttributes())
            {
                var assembly = attribute.AttributeClass?.ContainingAssembly;
                if (assembly != null && attribute.AttributeClass!.ToDisplayString() == AttributeNames.Architecture
                    && !SymbolEqualityComparer.Default.Equals(assembly, type.ContainingAssembly)) return assembly;
            }
            return null;
        }

        private static INamespaceSymbol? Namespace(INamespaceSymbol root, string[] path)
        {
            var ns = root;
            foreach (var part in path)
            {
                INamespaceSymbol? next = null;
                foreach (var member in ns.GetNamespaceMembers())
                {
                    if (member.Name == part) next = member;
                }
                if (next is null) return null;
                ns = next;
            }
            return ns;
        }

        /// <summary>The first declaration of <paramref name="member"/> the user wrote, or null when only this generator declares it.</summary>
        private static Location? UserDeclaration(ISymbol member, CancellationToken cancellationToken)
        {
            if (member.IsImplicitlyDeclared) return null;
            foreach (var reference in member.DeclaringSyntaxReferences)
            {
                if (reference.SyntaxTree.FilePath.Contains(GeneratedPathMarker)) continue;
                var syntax = reference.GetSyntax(cancellationToken);
                return syntax switch
                {
                    BaseTypeDeclarationSyntax t => t.Identifier.GetLocation(),
                    MethodDeclarationSyntax m => m.Identifier.GetLocation(),
                    PropertyDeclarationSyntax p => p.Identifier.GetLocation(),
                    EventDeclarationSyntax e => e.Identifier.GetLocation(),
                    DelegateDeclarationSyntax d => d.Identifier.GetLocation(),
                    VariableDeclaratorSyntax v => v.Identifier.GetLocation(),
                    _ => syntax.GetLocation(),
                };
            }
            return null;
        }
    }
}
