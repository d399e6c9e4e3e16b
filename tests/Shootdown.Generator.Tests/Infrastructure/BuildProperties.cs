using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Shootdown.Generator.Tests.Infrastructure
{
    /// <summary>
    /// MSBuild properties made visible to the generator (<c>build_property.*</c>), as a project's
    /// <c>CompilerVisibleProperty</c> items would: lets a test build the catalog exactly as archs/ builds it.
    /// </summary>
    internal sealed class BuildProperties : AnalyzerConfigOptionsProvider
    {
        private readonly Options _global;

        public BuildProperties(IReadOnlyDictionary<string, string> properties) => _global = new Options(properties);

        /// <summary>What archs/Shootdown.Archs.csproj sets: the generated sources are embedded for <c>show</c>.</summary>
        public static BuildProperties Archs { get; } = new(new Dictionary<string, string>
        {
            ["build_property.ShootdownEmbedGeneratedSources"] = "true",
        });

        public override AnalyzerConfigOptions GlobalOptions => _global;

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Options.Empty;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Options.Empty;

        private sealed class Options : AnalyzerConfigOptions
        {
            public static readonly Options Empty = new(new Dictionary<string, string>());
            private readonly IReadOnlyDictionary<string, string> _values;

            public Options(IReadOnlyDictionary<string, string> values) => _values = values;

            public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value) => _values.TryGetValue(key, out value);
        }
    }
}
