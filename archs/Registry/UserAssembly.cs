using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;
using Shootdown.Explorer;
using Shootdown.Simulation;

namespace Shootdown.Archs.Registry
{
    /// <summary>
    /// A user's compiled assembly, loaded in a collectible context that resolves <c>Shootdown.Runtime</c> to the tool's own
    /// copy, so the user's generated <c>Ops</c> are the tool's <see cref="ArchitectureOps"/> and the explorer can run them.
    /// </summary>
    public sealed class UserAssembly : AssemblyLoadContext
    {
        private static readonly AssemblyName Runtime = typeof(ArchitectureOps).Assembly.GetName();
        private readonly AssemblyDependencyResolver _resolver;

        private UserAssembly(string path) : base("shootdown:" + Path.GetFileName(path), isCollectible: true) => _resolver = new AssemblyDependencyResolver(path);

        /// <summary>Loads <paramref name="path"/> and finds every class the generator filled; false with one line when it cannot.</summary>
        public static bool TryLoad(string path, out IReadOnlyList<ArchitectureOps> architectures, out string error) =>
            TryRead(path, RaceCheck.Discover, out architectures, out error);

        /// <summary>
        /// Loads <paramref name="path"/> and reads the registry the generator wrote into it
        /// (<c>Shootdown.Generated.ShootdownArchitectures.All</c>): every class other code can name, with its generated
        /// sources when the build embedded them. False with one line when it cannot.
        /// </summary>
        public static bool TryLoadRegistry(string path, out IReadOnlyList<GeneratedArchitecture> entries, out string error) =>
            TryRead(path, Registry, out entries, out error);

        // The registry's full name, as RegistryEmitter writes it.
        private const string RegistryType = "Shootdown.Generated.ShootdownArchitectures";

        private static IReadOnlyList<GeneratedArchitecture> Registry(Assembly assembly) =>
            assembly.GetType(RegistryType, throwOnError: false)?.GetProperty("All", BindingFlags.Public | BindingFlags.Static)?.GetValue(null)
                as IReadOnlyList<GeneratedArchitecture> ?? Array.Empty<GeneratedArchitecture>();

        private static bool TryRead<T>(string path, Func<Assembly, IReadOnlyList<T>> read, out IReadOnlyList<T> found, out string error)
        {
            found = Array.Empty<T>();
            var full = Path.GetFullPath(path);
            if (!File.Exists(full))
            {
                error = $"no assembly at '{full}'";
                return false;
            }
            try
            {
                var context = new UserAssembly(full);
                var assembly = context.LoadFromAssemblyPath(full);
                foreach (var reference in assembly.GetReferencedAssemblies())
                {
                    if (reference.Name == Runtime.Name && reference.Version != Runtime.Version)
                    {
                        error = $"{Path.GetFileName(full)} was built against Shootdown.Runtime {reference.Version}, this tool carries {Runtime.Version}: install the tool of the same version as the package";
                        return false;
                    }
                }
                found = read(assembly);
                error = found.Count == 0 ? $"{Path.GetFileName(full)} has no class the Shootdown generator filled (a partial class with [Architecture] and a static Ops)" : "";
                return found.Count > 0;
            }
            catch (Exception e) when (e is BadImageFormatException or FileLoadException or FileNotFoundException or TypeLoadException or TargetInvocationException)
            {
                error = $"cannot load '{full}': {e.GetType().Name}: {(e.InnerException ?? e).Message.Split('\n')[0]}";
                return false;
            }
        }

        /// <inheritdoc/>
        protected override Assembly? Load(AssemblyName assemblyName)
        {
            // The user's Ops must be the tool's ArchitectureOps type: one runtime in the process.
            if (assemblyName.Name == Runtime.Name) return typeof(ArchitectureOps).Assembly;
            var path = _resolver.ResolveAssemblyToPath(assemblyName);
            return path is null ? null : LoadFromAssemblyPath(path);
        }
    }
}
