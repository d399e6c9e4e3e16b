using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Shootdown.Analyzer.Tests.Harness
{
    /// <summary>What test compilations reference: the shared framework this test runs on, and the Shootdown runtime.</summary>
    internal static class References
    {
        public static ImmutableArray<MetadataReference> All { get; } = Load();

        private static ImmutableArray<MetadataReference> Load()
        {
            var frameworkDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)
                ?? throw new InvalidOperationException("no framework directory");
            var framework = Directory.GetFiles(frameworkDirectory, "*.dll")
                .Where(path =>
                {
                    var name = Path.GetFileName(path);
                    return name.StartsWith("System.", StringComparison.Ordinal) || name == "netstandard.dll" || name == "mscorlib.dll";
                })
                .OrderBy(path => path, StringComparer.Ordinal)
                .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path));
            var runtime = MetadataReference.CreateFromFile(typeof(ArchitectureAttribute).Assembly.Location);
            return framework.Append(runtime).ToImmutableArray();
        }
    }
}
