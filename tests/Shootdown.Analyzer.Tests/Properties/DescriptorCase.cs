using System.Collections.Generic;

namespace Shootdown.Analyzer.Tests.Properties
{
    /// <summary>
    /// One generated input. A well-formed case carries the descriptor its attributes spell, so the exact SHD IDs can be
    /// predicted from <see cref="DescriptorRules.Check"/>; a malformed one only promises that something is reported.
    /// </summary>
    /// <param name="Source">The C# text.</param>
    /// <param name="Descriptor">What the attributes say, when the case is well-formed; null for a malformed case.</param>
    /// <param name="Malformation">What was broken on purpose, or null.</param>
    /// <param name="ExpectedIds">For a malformed case: SHD IDs that must be among the diagnostics (may be empty).</param>
    internal sealed record DescriptorCase(string Source, ArchDescriptor? Descriptor, string? Malformation, IReadOnlyCollection<string> ExpectedIds)
    {
        public bool WellFormed => Malformation is null;

        /// <summary>What a failure prints: what was broken on purpose, and the source.</summary>
        public override string ToString() => "// " + (Malformation ?? "well-formed") + "\n" + Source;
    }
}
