using System;
using System.Collections.Generic;

namespace Shootdown.Simulation
{
    /// <summary>
    /// One architecture class the generator filled, as the generated registry of its assembly lists it
    /// (<c>Shootdown.Generated.ShootdownArchitectures.All</c>): its operations and, when the build embeds them
    /// (<c>ShootdownEmbedGeneratedSources</c>), the text of each generated piece.
    /// </summary>
    /// <param name="Ops">The operations, compiled for the architecture's own gather and fast GUP.</param>
    /// <param name="Sources">Each generated piece (Descriptor, MmuGather, TableBatch, FastGup) with its source text; empty
    /// when the build did not ask for them.</param>
    public sealed record GeneratedArchitecture(ArchitectureOps Ops, IReadOnlyList<KeyValuePair<string, string>> Sources)
    {
        /// <summary>An architecture whose sources were not embedded.</summary>
        public GeneratedArchitecture(ArchitectureOps ops) : this(ops, Array.Empty<KeyValuePair<string, string>>())
        {
        }

        /// <summary>The architecture's name.</summary>
        public string Name => Ops.Name;
    }
}
