using System;
using System.Collections.Generic;
using Shootdown.Generated;
using Shootdown.Simulation;

namespace Shootdown.Archs.Catalog
{
    /// <summary>
    /// The built-in architectures: every class in archs/Catalog, as the generator registered them
    /// (<see cref="ShootdownArchitectures"/>), ordered by name. A new catalog class is listed by being written.
    /// </summary>
    public static class ArchitectureCatalog
    {
        /// <summary>Every catalog architecture with its generated sources.</summary>
        public static IReadOnlyList<GeneratedArchitecture> Entries => ShootdownArchitectures.All;

        /// <summary>Every catalog architecture's operations.</summary>
        public static IReadOnlyList<ArchitectureOps> All { get; } = Ops();

        /// <summary>The architecture named <paramref name="name"/> (case-insensitive), or null.</summary>
        public static ArchitectureOps? Find(string name) => FindEntry(name)?.Ops;

        /// <summary>The catalog entry named <paramref name="name"/> (case-insensitive), or null.</summary>
        public static GeneratedArchitecture? FindEntry(string name)
        {
            foreach (var entry in Entries)
            {
                if (string.Equals(entry.Name, name, StringComparison.OrdinalIgnoreCase)) return entry;
            }
            return null;
        }

        /// <summary>The names of every catalog architecture, in order.</summary>
        public static IEnumerable<string> Names
        {
            get
            {
                foreach (var entry in Entries) yield return entry.Name;
            }
        }

        private static ArchitectureOps[] Ops()
        {
            var all = new ArchitectureOps[Entries.Count];
            for (var i = 0; i < all.Length; i++) all[i] = Entries[i].Ops;
            return all;
        }
    }
}
