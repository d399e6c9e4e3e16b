using System;
using System.IO;
using System.Xml.Linq;

namespace Shootdown.Package.Tests.Harness
{
    /// <summary>The repository checkout: the first directory above the test binaries that holds Generator.sln.</summary>
    internal static class RepositoryRoot
    {
        public static string Path { get; } = Find();

        /// <summary>The package version, as Directory.Build.props sets it.</summary>
        public static string Version()
        {
            var props = XDocument.Load(System.IO.Path.Combine(Path, "Directory.Build.props"));
            foreach (var element in props.Descendants("Version")) return element.Value.Trim();
            throw new InvalidOperationException("Directory.Build.props sets no Version");
        }

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
