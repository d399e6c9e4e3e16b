namespace Shootdown.Generator.Parsing
{
    /// <summary>Metadata names of the descriptor attributes (they live in the runtime assembly).</summary>
    internal static class AttributeNames
    {
        public const string Architecture = "Shootdown.ArchitectureAttribute";
        public const string TlbInvalidation = "Shootdown.TlbInvalidationAttribute";
        public const string PageTables = "Shootdown.PageTablesAttribute";
        public const string PteFormat = "Shootdown.PteFormatAttribute";
        public const string HardwareWalker = "Shootdown.HardwareWalkerAttribute";
        public const string SoftwareTlbRefill = "Shootdown.SoftwareTlbRefillAttribute";
        public const string Gather = "Shootdown.GatherAttribute";
        public const string FastGup = "Shootdown.FastGupAttribute";

        /// <summary>Every aspect attribute: meaningful only next to [Architecture].</summary>
        public static readonly string[] Aspects =
        {
            TlbInvalidation, PageTables, PteFormat, HardwareWalker, SoftwareTlbRefill, Gather, FastGup,
        };

        /// <summary>Aspects without which a descriptor says too little to generate from.</summary>
        public static readonly string[] Required = { TlbInvalidation, PageTables, PteFormat };

        /// <summary>"Shootdown.PageTablesAttribute" for "PageTables": the metadata name of an attribute users write.</summary>
        public static string Full(string shortName) => "Shootdown." + shortName + "Attribute";

        /// <summary>"TlbInvalidation" for "Shootdown.TlbInvalidationAttribute": the name users write.</summary>
        public static string Short(string metadataName)
        {
            var name = metadataName.Substring(metadataName.LastIndexOf('.') + 1);
            return name.EndsWith("Attribute", System.StringComparison.Ordinal) ? name.Substring(0, name.Length - "Attribute".Length) : name;
        }
    }
}
