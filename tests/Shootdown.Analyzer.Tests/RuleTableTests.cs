extern alias analyzers;

using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Shootdown.Analyzer.Tests.Harness;
using DescriptorAnalyzer = analyzers::Shootdown.Generator.Analyzers.DescriptorAnalyzer;
using DiagnosticCatalog = analyzers::Shootdown.Generator.Analyzers.DiagnosticCatalog;
using static Shootdown.Analyzer.Tests.Harness.Descriptors;

namespace Shootdown.Analyzer.Tests
{
    /// <summary>The analyzer, its release tracking and its documentation all follow the one rule table.</summary>
    public sealed class RuleTableTests
    {
        [Fact]
        public void The_analyzer_supports_every_rule_with_its_title_and_severity()
        {
            var supported = new DescriptorAnalyzer().SupportedDiagnostics;
            Assert.Equal(DescriptorRules.All.Select(r => r.Id), supported.Select(d => d.Id));
            foreach (var rule in DescriptorRules.All)
            {
                var descriptor = supported.Single(d => d.Id == rule.Id);
                Assert.Equal(rule.Title, descriptor.Title.ToString(System.Globalization.CultureInfo.InvariantCulture));
                Assert.Equal(Expected(rule.Severity), descriptor.DefaultSeverity);
                Assert.True(descriptor.IsEnabledByDefault);
                Assert.Equal(RepositoryBlob() + "docs/diagnostics/" + rule.Id + ".md", descriptor.HelpLinkUri);
                Assert.True(System.Uri.TryCreate(descriptor.HelpLinkUri, System.UriKind.Absolute, out var link) && link.Scheme == "https", descriptor.HelpLinkUri);
                Assert.Equal(rule.IsRace, descriptor.Category == DiagnosticCatalog.SafetyCategory);
            }
            Assert.Contains(WellKnownDiagnosticTags.CompilationEnd, supported.Single(d => d.Id == DescriptorRules.DuplicateName).CustomTags);
        }

        [Fact]
        public void Release_tracking_lists_every_rule_with_its_category_and_severity()
        {
            var path = Path.Combine(RepositoryRoot.Path, "generator", "Shootdown.Generator", "AnalyzerReleases.Unshipped.md");
            var rows = File.ReadAllLines(path)
                .Select(line => Regex.Match(line, @"^(SHD\d{3})\s*\|\s*([\w.]+)\s*\|\s*(\w+)\s*\|"))
                .Where(m => m.Success)
                .Select(m => (Id: m.Groups[1].Value, Category: m.Groups[2].Value, Severity: m.Groups[3].Value))
                .ToList();
            var supported = new DescriptorAnalyzer().SupportedDiagnostics;
            Assert.Equal(supported.Select(d => (d.Id, d.Category, d.DefaultSeverity.ToString())), rows);
            Assert.True(File.Exists(Path.Combine(RepositoryRoot.Path, "generator", "Shootdown.Generator", "AnalyzerReleases.Shipped.md")));
        }

        [Fact]
        public void Every_rule_has_a_help_page_and_a_row_in_the_index()
        {
            var docs = Path.Combine(RepositoryRoot.Path, "docs", "diagnostics");
            var index = File.ReadAllText(Path.Combine(docs, "README.md"));
            foreach (var rule in DescriptorRules.All)
            {
                var page = File.ReadAllText(Path.Combine(docs, rule.Id + ".md"));
                Assert.StartsWith("# " + rule.Id + ": " + rule.Title, page, System.StringComparison.Ordinal);
                foreach (var section in new[] { "## Rule", "## Fix", "## How to suppress" })
                    Assert.Contains(section, page, System.StringComparison.Ordinal);
                Assert.Contains("dotnet_diagnostic." + rule.Id + ".severity", page, System.StringComparison.Ordinal);
                if (rule.IsRace)
                {
                    Assert.Contains("| step | CPU 0 | CPU 1 |", page, System.StringComparison.Ordinal);
                    Assert.Contains("## Linux history", page, System.StringComparison.Ordinal);
                }
                Assert.Contains($"[{rule.Id}]({rule.Id}.md)", index, System.StringComparison.Ordinal);
            }
        }

        [Fact]
        public async Task Suppress_message_on_the_class_suppresses_a_rule()
        {
            var source = Class(gather: "[Gather(GatherOptions.RcuTableFree)]",
                declaration: "[System.Diagnostics.CodeAnalysis.SuppressMessage(\"Shootdown.Cost\", \"SHD006\", Justification = \"paravirt flushes\")]\n    public static partial class Demo");
            await AnalyzerCheck.VerifyAsync(source);
        }

        /// <summary>"&lt;RepositoryUrl&gt;/blob/&lt;RepositoryBranch&gt;/" as Directory.Build.props states them: the one home of the address.</summary>
        private static string RepositoryBlob()
        {
            var props = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "Directory.Build.props"));
            var url = Regex.Match(props, "<RepositoryUrl>([^<]+)</RepositoryUrl>").Groups[1].Value;
            var branch = Regex.Match(props, "<RepositoryBranch>([^<]+)</RepositoryBranch>").Groups[1].Value;
            Assert.False(string.IsNullOrEmpty(url), "Directory.Build.props states RepositoryUrl");
            return url.TrimEnd('/') + "/blob/" + branch + "/";
        }

        private static DiagnosticSeverity Expected(FindingSeverity severity) => severity switch
        {
            FindingSeverity.Error => DiagnosticSeverity.Error,
            FindingSeverity.Warning => DiagnosticSeverity.Warning,
            _ => DiagnosticSeverity.Info,
        };
    }
}
