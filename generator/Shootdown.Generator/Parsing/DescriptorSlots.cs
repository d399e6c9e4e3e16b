namespace Shootdown.Generator.Parsing
{
    /// <summary>Where each descriptor slot is written: which attribute, and which constructor or named argument (from <see cref="DescriptorKnobs"/>).</summary>
    internal static class DescriptorSlots
    {
        /// <summary>The attribute holding <paramref name="slot"/>, its constructor-argument index (or -1) and named-argument name (or null).</summary>
        public static (string? Attribute, int Position, string? Named) Of(DescriptorSlot slot)
        {
            if (slot == DescriptorSlot.Name) return (AttributeNames.Full(DescriptorKnobs.ArchitectureAttribute), 0, null);
            var knob = DescriptorKnobs.Of(slot);
            return knob is null ? (null, -1, null) : (AttributeNames.Full(knob.Attribute), knob.Position, knob.Named);
        }
    }
}
