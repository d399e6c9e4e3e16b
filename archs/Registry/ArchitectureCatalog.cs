using System;
using System.Collections.Generic;
using Shootdown.Simulation;

namespace Shootdown.Archs.Catalog
{
    /// <summary>One catalog architecture: its operations and the source the generator wrote for it.</summary>
    /// <param name="Ops">The operations, compiled for the architecture's own gather and fast GUP.</param>
    /// <param name="Sources">Each generated piece (Descriptor, MmuGather, TableBatch, FastGup) with its source text.</param>
    public sealed record CatalogEntry(ArchitectureOps Ops, IReadOnlyList<KeyValuePair<string, string>> Sources)
    {
        /// <summary>The architecture's name.</summary>
        public string Name => Ops.Descriptor.Name;
    }

    /// <summary>The built-in architectures, in the order the tool lists them.</summary>
    public static class ArchitectureCatalog
    {
        /// <summary>Every catalog architecture with its generated sources.</summary>
        public static IReadOnlyList<CatalogEntry> Entries { get; } = new[]
        {
            new CatalogEntry(X86_64.Ops, X86_64.GeneratedSources),
            new CatalogEntry(X86Pae.Ops, X86Pae.GeneratedSources),
            new CatalogEntry(Arm64.Ops, Arm64.GeneratedSources),
            new CatalogEntry(ArmLpae.Ops, ArmLpae.GeneratedSources),
            new CatalogEntry(Ppc64Radix.Ops, Ppc64Radix.GeneratedSources),
            new CatalogEntry(Ppc64Hash.Ops, Ppc64Hash.GeneratedSources),
            new CatalogEntry(S390x.Ops, S390x.GeneratedSources),
            new CatalogEntry(S390xFragments.Ops, S390xFragments.GeneratedSources),
            new CatalogEntry(Sparc64.Ops, Sparc64.GeneratedSources),
            new CatalogEntry(Riscv64.Ops, Riscv64.GeneratedSources),
        };

        /// <summary>Every catalog architecture's operations.</summary>
        public static IReadOnlyList<ArchitectureOps> All { get; } = Array.ConvertAll((CatalogEntry[])Entries, e => e.Ops);

        /// <summary>The architecture named <paramref name="name"/> (case-insensitive), or null.</summary>
        public static ArchitectureOps? Find(string name) => FindEntry(name)?.Ops;

        /// <summary>The catalog entry named <paramref name="name"/> (case-insensitive), or null.</summary>
        public static CatalogEntry? FindEntry(string name)
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
    }
}
