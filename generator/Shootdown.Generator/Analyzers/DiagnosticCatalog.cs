using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace Shootdown.Generator.Analyzers
{
    /// <summary>
    /// One <see cref="DiagnosticDescriptor"/> per rule of <see cref="DescriptorRules"/>. Titles and severities come from the
    /// rule table; the IDs are written out so that release tracking (AnalyzerReleases.*.md) can follow each one.
    /// </summary>
    public static class DiagnosticCatalog
    {
        /// <summary>Where the help pages live, relative to the repository root: <c>docs/diagnostics/&lt;ID&gt;.md</c>.</summary>
        public const string HelpLinkBase = "docs/diagnostics/";

        /// <summary>Category of the rules that stand for a race (docs/diagnostics, SHD001 to SHD005).</summary>
        public const string SafetyCategory = "Shootdown.Safety";

        /// <summary>Category of the notes on options that are legal but cost something or nothing.</summary>
        public const string CostCategory = "Shootdown.Cost";

        /// <summary>Category of the structural rules (impossible values, class shape, names, attributes).</summary>
        public const string StructureCategory = "Shootdown.Structure";

        private static readonly DiagnosticDescriptor Shd001 = Create(DescriptorRules.FragmentsWithoutTableFree);
        private static readonly DiagnosticDescriptor Shd002 = Create(DescriptorRules.SoftwareWalkerWithoutRcu);
        private static readonly DiagnosticDescriptor Shd003 = Create(DescriptorRules.NoTableInvalidateWithWalker);
        private static readonly DiagnosticDescriptor Shd004 = Create(DescriptorRules.NoGatherWithoutSyncClear);
        private static readonly DiagnosticDescriptor Shd005 = Create(DescriptorRules.TornPteRead);
        private static readonly DiagnosticDescriptor Shd006 = Create(DescriptorRules.PointlessRcuTableFree);
        private static readonly DiagnosticDescriptor Shd007 = Create(DescriptorRules.FastGupWithoutSpecial);
        private static readonly DiagnosticDescriptor Shd008 = Create(DescriptorRules.PointlessSplitRead);
        private static readonly DiagnosticDescriptor Shd100 = Create(DescriptorRules.NoGatherWithoutTableFree);
        private static readonly DiagnosticDescriptor Shd101 = Create(DescriptorRules.NoTableInvalidateWithoutRcu);
        private static readonly DiagnosticDescriptor Shd102 = Create(DescriptorRules.BadWidth);
        private static readonly DiagnosticDescriptor Shd103 = Create(DescriptorRules.BadLevels);
        private static readonly DiagnosticDescriptor Shd104 = Create(DescriptorRules.BadPageSize);
        private static readonly DiagnosticDescriptor Shd105 = Create(DescriptorRules.BadFragments);
        private static readonly DiagnosticDescriptor Shd106 = Create(DescriptorRules.NotPartial);
        private static readonly DiagnosticDescriptor Shd107 = Create(DescriptorRules.Generic);
        private static readonly DiagnosticDescriptor Shd108 = Create(DescriptorRules.NestedInNonPartial);
        private static readonly DiagnosticDescriptor Shd109 = Create(DescriptorRules.DuplicateName, WellKnownDiagnosticTags.CompilationEnd);
        private static readonly DiagnosticDescriptor Shd110 = Create(DescriptorRules.MissingAspect);
        private static readonly DiagnosticDescriptor Shd111 = Create(DescriptorRules.BadArgument);
        private static readonly DiagnosticDescriptor Shd112 = Create(DescriptorRules.AspectWithoutArchitecture);
        private static readonly DiagnosticDescriptor Shd113 = Create(DescriptorRules.SyncClearWithIpi);
        private static readonly DiagnosticDescriptor Shd114 = Create(DescriptorRules.BadTableSize);
        private static readonly DiagnosticDescriptor Shd115 = Create(DescriptorRules.GeneratedNameClash);
        private static readonly DiagnosticDescriptor Shd116 = Create(DescriptorRules.NothingGenerated);
        private static readonly DiagnosticDescriptor Shd117 = Create(DescriptorRules.KnobNotInEra);

        /// <summary>Every descriptor, in rule-table order.</summary>
        public static ImmutableArray<DiagnosticDescriptor> All { get; } = ImmutableArray.Create(
            Shd001, Shd002, Shd003, Shd004, Shd005, Shd006, Shd007, Shd008,
            Shd100, Shd101, Shd102, Shd103, Shd104, Shd105, Shd106, Shd107, Shd108, Shd109, Shd110, Shd111, Shd112, Shd113, Shd114, Shd115, Shd116, Shd117);

        private static readonly Dictionary<string, DiagnosticDescriptor> ById = Index(All);

        /// <summary>The descriptor of rule <paramref name="id"/>, or null for an ID the table does not know.</summary>
        public static DiagnosticDescriptor? Find(string id) => ById.TryGetValue(id, out var descriptor) ? descriptor : null;

        /// <summary>The diagnostic category of a rule, from the category the rule declares.</summary>
        public static string Category(DescriptorRule rule) => rule.Category switch
        {
            RuleCategory.Safety => SafetyCategory,
            RuleCategory.Cost => CostCategory,
            _ => StructureCategory,
        };

        /// <summary>The compiler severity of a rule's severity.</summary>
        public static DiagnosticSeverity Severity(FindingSeverity severity) => severity switch
        {
            FindingSeverity.Error => DiagnosticSeverity.Error,
            FindingSeverity.Warning => DiagnosticSeverity.Warning,
            _ => DiagnosticSeverity.Info,
        };

        /// <summary>
        /// The help page of rule <paramref name="id"/>, absolute: the repository address and branch come from the build
        /// (MSBuild <c>RepositoryUrl</c> and <c>RepositoryBranch</c> in Directory.Build.props, stamped as assembly metadata),
        /// so an IDE can open it. Without them (a build outside the repository) the link stays relative to the repository root.
        /// </summary>
        public static string HelpLink(string id) => BlobBase() + HelpLinkBase + id + ".md";

        // A method, not a static field: the descriptors above are initialised first and call HelpLink.
        private static string BlobBase()
        {
            string? url = null, branch = null;
            foreach (var attribute in typeof(DiagnosticCatalog).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false))
            {
                if (attribute is not System.Reflection.AssemblyMetadataAttribute metadata) continue;
                if (metadata.Key == "Shootdown.RepositoryUrl") url = metadata.Value;
                if (metadata.Key == "Shootdown.RepositoryBranch") branch = metadata.Value;
            }
            if (string.IsNullOrEmpty(url)) return "";
            return url!.TrimEnd('/') + "/blob/" + (string.IsNullOrEmpty(branch) ? "main" : branch) + "/";
        }

        private static DiagnosticDescriptor Create(string id, params string[] tags)
        {
            var rule = DescriptorRules.ById(id);
            return new DiagnosticDescriptor(
                id,
                rule.Title,
                "{0}",
                Category(rule),
                Severity(rule.Severity),
                isEnabledByDefault: true,
                description: rule.Title + ". See " + HelpLink(id) + " for the race, its Linux history and the fix.",
                helpLinkUri: HelpLink(id),
                customTags: tags);
        }

        private static Dictionary<string, DiagnosticDescriptor> Index(ImmutableArray<DiagnosticDescriptor> all)
        {
            var index = new Dictionary<string, DiagnosticDescriptor>(System.StringComparer.Ordinal);
            foreach (var descriptor in all) index[descriptor.Id] = descriptor;
            return index;
        }
    }
}
