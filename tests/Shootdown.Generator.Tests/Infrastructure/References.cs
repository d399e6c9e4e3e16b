using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using Microsoft.CodeAnalysis;

namespace Shootdown.Generator.Tests.Infrastructure
{
    /// <summary>What a compilation of architecture descriptors references: the framework and the Shootdown runtime.</summary>
    internal static class References
    {
        private static readonly Lazy<ImmutableArray<MetadataReference>> All = new(Load);

        /// <summary>Framework assemblies plus Shootdown.Runtime.</summary>
        public static ImmutableArray<MetadataReference> Default => All.Value;

        private static ImmutableArray<MetadataReference> Load()
        {
            // The trusted platform list also holds this test's own dependencies, among them the generator assembly, which
            // defines the shared descriptor types a second time: keep only the shared framework's folder.
            var frameworkDir = Path.GetDirectoryName(typeof(object).Assembly.Location)
                ?? throw new InvalidOperationException("The core library has no location");
            var trusted = (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string)
                ?? throw new InvalidOperationException("TRUSTED_PLATFORM_ASSEMBLIES is not set");
            var refs = new List<MetadataReference>();
            foreach (var path in trusted.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                if (!string.Equals(Path.GetDirectoryName(path), frameworkDir, StringComparison.Ordinal)) continue;
                refs.Add(MetadataReference.CreateFromFile(path));
            }
            refs.Add(MetadataReference.CreateFromFile(typeof(ArchDescriptor).Assembly.Location));
            return refs.ToImmutableArray();
        }
    }
}
