using System;
using System.IO;

namespace Shootdown.Analyzer.Tests.Harness
{
    /// <summary>The repository checkout the tests run from: the first directory above the test binaries that holds Generator.sln.</summary>
    internal static class RepositoryRoot
    {
        public static string Path { get; } = Find();

        private static string Find()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                if (File.Exists(System.IO.Path.Combine(dir.FullName, "Generator.sln"))) return dir.FullName;
            }
            throw new InvalidOperationException("Generator.sln not found above " + AppContext.BaseDirectory);
        }
    }
}
