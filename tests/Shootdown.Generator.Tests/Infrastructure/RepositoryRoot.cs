using System;
using System.IO;

namespace Shootdown.Generator.Tests.Infrastructure
{
    /// <summary>The checkout the tests run from: sources and snapshots are read from it, not from the build output.</summary>
    internal static class RepositoryRoot
    {
        private static readonly Lazy<string> Root = new(Find);

        /// <summary>The folder that holds Generator.sln.</summary>
        public static string Path => Root.Value;

        /// <summary>A path below the repository root.</summary>
        public static string Combine(params string[] parts) =>
            System.IO.Path.Combine(Path, System.IO.Path.Combine(parts));

        private static string Find()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                if (File.Exists(System.IO.Path.Combine(dir.FullName, "Generator.sln"))) return dir.FullName;
            }
            throw new InvalidOperationException("No folder above " + AppContext.BaseDirectory + " contains Generator.sln");
        }
    }
}
