using System;
using System.IO;
using System.Linq;

namespace Shootdown.Package.Tests.Harness
{
    /// <summary>
    /// Packs the runtime project once into a fresh folder that serves as a local package feed, with a package cache of its own
    /// so consumers never pick up an older Shootdown package from the machine's cache.
    /// </summary>
    public sealed class PackedFeed : IDisposable
    {
        public PackedFeed()
        {
            Root = Directory.CreateTempSubdirectory("shootdown-package-").FullName;
            Feed = Directory.CreateDirectory(Path.Combine(Root, "feed")).FullName;
            PackagesCache = Directory.CreateDirectory(Path.Combine(Root, "packages")).FullName;
            Version = RepositoryRoot.Version();
            Pack = Dotnet.Run(RepositoryRoot.Path, TimeSpan.FromMinutes(3),
                "pack", Path.Combine(RepositoryRoot.Path, "runtime", "Shootdown.Runtime.csproj"), "-c", "Release", "-o", Feed);
            Packages = Directory.GetFiles(Feed, "*.nupkg").OrderBy(p => p, StringComparer.Ordinal).ToArray();
        }

        /// <summary>Everything this fixture created; deleted at the end.</summary>
        public string Root { get; }

        /// <summary>The folder feed the package was packed into.</summary>
        public string Feed { get; }

        /// <summary>RestorePackagesPath for consumers: empty before the first restore.</summary>
        public string PackagesCache { get; }

        /// <summary>The version from Directory.Build.props.</summary>
        public string Version { get; }

        /// <summary>The pack command's result.</summary>
        public CommandResult Pack { get; }

        /// <summary>The .nupkg files the pack produced.</summary>
        public string[] Packages { get; }

        public void Dispose()
        {
            try
            {
                Directory.Delete(Root, recursive: true);
            }
            catch (IOException)
            {
                // A build server may still hold a file for a moment; the folder is under the temp directory either way.
            }
        }
    }
}
