namespace Shootdown.Generator.Parsing
{
    /// <summary>Where each descriptor slot is written: which attribute, and which constructor or named argument.</summary>
    internal static class DescriptorSlots
    {
        /// <summary>The attribute holding <paramref name="slot"/>, its constructor-argument index (or -1) and named-argument name (or null).</summary>
        public static (string? Attribute, int Position, string? Named) Of(DescriptorSlot slot) => slot switch
        {
            DescriptorSlot.Name => (AttributeNames.Architecture, 0, null),
            DescriptorSlot.Invalidation => (AttributeNames.TlbInvalidation, 0, null),
            DescriptorSlot.SynchronousOnClear => (AttributeNames.TlbInvalidation, -1, "SynchronousOnClear"),
            DescriptorSlot.Levels => (AttributeNames.PageTables, 0, null),
            DescriptorSlot.PageSize => (AttributeNames.PageTables, -1, "PageSize"),
            DescriptorSlot.FragmentsPerPage => (AttributeNames.PageTables, -1, "FragmentsPerPage"),
            DescriptorSlot.PtrsPerPte => (AttributeNames.PageTables, -1, "PtrsPerPte"),
            DescriptorSlot.PtrsPerPmd => (AttributeNames.PageTables, -1, "PtrsPerPmd"),
            DescriptorSlot.PtrsPerPud => (AttributeNames.PageTables, -1, "PtrsPerPud"),
            DescriptorSlot.PtrsPerP4d => (AttributeNames.PageTables, -1, "PtrsPerP4d"),
            DescriptorSlot.PtrsPerPgd => (AttributeNames.PageTables, -1, "PtrsPerPgd"),
            DescriptorSlot.PteBits => (AttributeNames.PteFormat, 0, null),
            DescriptorSlot.WordBits => (AttributeNames.PteFormat, 1, null),
            DescriptorSlot.PteSpecial => (AttributeNames.PteFormat, -1, "SpecialBit"),
            DescriptorSlot.AtomicLoadBits => (AttributeNames.PteFormat, -1, "AtomicLoadBits"),
            DescriptorSlot.Walker => (AttributeNames.HardwareWalker, 0, null),
            DescriptorSlot.SoftwareTlbRefill => (AttributeNames.SoftwareTlbRefill, -1, null),
            DescriptorSlot.Options => (AttributeNames.Gather, 0, null),
            DescriptorSlot.FastGup => (AttributeNames.FastGup, -1, null),
            DescriptorSlot.PteRead => (AttributeNames.FastGup, 0, null),
            _ => (null, -1, null),
        };
    }
}
