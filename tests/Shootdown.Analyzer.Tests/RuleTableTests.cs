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
        public void Every_help_page_names_the_linux_era_it_describes_and_era_dependent_messages_name_each_era()
        {
            var docs = Path.Combine(RepositoryRoot.Path, "docs", "diagnostics");
            var eras = System.Enum.GetValues<LinuxEra>();
            // One descriptor per rule of DescriptorRules.Check that breaks it; a rule whose message differs between eras on
            // its descriptor must have a page that names every era.
            var ipi = new ArchDescriptor("probe", Invalidation.Ipi, false, 4, 4096, 1, 64, 64, true, WalkerKind.CachesUpperLevels, false,
                GatherOptions.TableFree, false, PteRead.SingleLoad);
            var probes = new[]
            {
                ipi with { FragmentsPerPage = 2, Options = GatherOptions.None },
                ipi with { Invalidation = Invalidation.HardwareBroadcast, FastGup = true },
                ipi with { Options = GatherOptions.RcuTableFree | GatherOptions.NoTableInvalidate },
                ipi with { Options = GatherOptions.TableFree | GatherOptions.NoGather },
                ipi with { Levels = 3, WordBits = 32, FastGup = true },
                ipi with { Options = GatherOptions.RcuTableFree },
                ipi with { Options = GatherOptions.RcuTableFree, ArchTlbRemoveTable = true },
                ipi with { FastGup = true, PteSpecial = false },
                ipi with { FastGup = true, PteRead = PteRead.LowHighSplit },
            };
            var eraDependent = probes
                .SelectMany(d => DescriptorRules.Check(d).Select(f => f.Id).Distinct().Select(id => (Id: id,
                    Messages: eras.Select(era => DescriptorRules.Check(d with { Linux = era }).First(f => f.Id == id).Message).Distinct().Count())))
                .Where(x => x.Messages > 1).Select(x => x.Id).ToHashSet();
            Assert.Contains(DescriptorRules.PointlessRcuTableFree, eraDependent);
            foreach (var rule in DescriptorRules.All)
            {
                var page = File.ReadAllText(Path.Combine(docs, rule.Id + ".md"));
                var section = Regex.Match(page, @"## Linux era\n(.*?)\n## ", RegexOptions.Singleline);
                Assert.True(section.Success, rule.Id + " has no '## Linux era' section");
                Assert.Contains("`LinuxEra.Stable` (the default)", section.Groups[1].Value, System.StringComparison.Ordinal);
                if (eraDependent.Contains(rule.Id))
                {
                    foreach (var era in eras) Assert.Contains("LinuxEra." + era, section.Groups[1].Value, System.StringComparison.Ordinal);
                }
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
