using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace Shootdown.Generator.Tests.Infrastructure
{
    /// <summary>
    /// The architecture catalog as it stands in the checkout (archs/Catalog/*.cs), discovered at test time so a new
    /// architecture is covered the moment its file is added.
    /// </summary>
    internal static class Catalog
    {
        private static readonly Lazy<IReadOnlyList<SourceFile>> Files = new(Read);
        private static readonly Lazy<GeneratorRun> Generated = new(() => GeneratorHarness.Run(Sources, BuildProperties.Archs));

        /// <summary>Every catalog source file, ordered by path.</summary>
        public static IReadOnlyList<SourceFile> Sources => Files.Value;

        /// <summary>One generator run over the whole catalog with archs/'s build properties, shared by the tests that only read it.</summary>
        public static GeneratorRun Run => Generated.Value;

        private static IReadOnlyList<SourceFile> Read()
        {
            var dir = RepositoryRoot.Combine("archs", "Catalog");
            var files = Directory.GetFiles(dir, "*.cs")
                .OrderBy(p => p, StringComparer.Ordinal)
                .Select(p => new SourceFile(Path.Combine("archs", "Catalog", Path.GetFileName(p)), File.ReadAllText(p)))
                .ToList();
            if (files.Count == 0) throw new InvalidOperationException("No catalog sources in " + dir);
            return files;
        }
    }
}
