using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Shootdown.Analyzer.Tests.Harness
{
    /// <summary>
    /// What test compilations reference: the .NET 10 reference assemblies (shipped in a package, so no test resolves them from
    /// a feed or from the machine's shared framework), and the Shootdown runtime that declares the descriptor attributes.
    /// </summary>
    internal static class References
    {
        public static ImmutableArray<MetadataReference> All { get; } = Basic.Reference.Assemblies.Net100.References.All
            .Cast<MetadataReference>()
            .Append(MetadataReference.CreateFromFile(typeof(ArchitectureAttribute).Assembly.Location))
            .ToImmutableArray();
    }
}
