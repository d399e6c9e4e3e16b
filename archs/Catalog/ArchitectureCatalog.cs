using System.Collections.Generic;
using Shootdown.Simulation;

namespace Shootdown.Archs.Catalog
{
    /// <summary>The built-in architectures, in the order the tool lists them.</summary>
    public static class ArchitectureCatalog
    {
        /// <summary>Every catalog architecture's operations.</summary>
        public static IReadOnlyList<ArchitectureOps> All { get; } = new[]
        {
            X86_64.Ops,
            Arm64.Ops,
        };

        /// <summary>The architecture named <paramref name="name"/> (case-insensitive), or null.</summary>
        public static ArchitectureOps? Find(string name)
        {
            foreach (var arch in All)
            {
                if (string.Equals(arch.Descriptor.Name, name, System.StringComparison.OrdinalIgnoreCase)) return arch;
            }
            return null;
        }
    }
}
