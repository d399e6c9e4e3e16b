using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Shootdown.Package.Tests.Harness;

namespace Shootdown.Package.Tests
{
    /// <summary>The Shootdown package as a consumer gets it: packed from the repository, restored by version from a folder feed.</summary>
    public sealed class PackageTests : IClassFixture<PackedFeed>
    {
        private const string ValidArchitecture = """
            using Shootdown;

            namespace Consumer;

            /// <summary>An x86-64-like architecture: IPI shootdown, RCU table freeing, fast GUP.</summary>
            [Architecture("consumer-x86")]
            [TlbInvalidation(Invalidation.Ipi)]
            [PageTables(4)]
            [PteFormat(64, 64, SpecialBit = true)]
            [HardwareWalker(WalkerKind.CachesUpperLevels)]
            [Gather(GatherOptions.RcuTableFree)]
            [FastGup]
            internal static partial class TheArch
            {
            }
            """;

        private const string Program = """
            using System;
            using System.Globalization;
            using Shootdown.Simulation;

            namespace Consumer;

            /// <summary>Maps, faults in and unmaps a region with the generated gather, then reports what broke.</summary>
            internal static class Program
            {
                private static int Main()
                {
                    var ops = TheArch.Ops;
                    var machine = ops.CreateMachine(cpus: 2, frames: 1024);
                    var before = machine.Memory.InUse;
                    var mm = machine.CreateMm() ?? throw new InvalidOperationException("no memory for a PGD");
                    var cpu = machine.Cpu(0);
                    cpu.SwitchTo(mm);
                    const ulong start = 1UL << 30;
                    const ulong length = 64UL * 4096;
                    AddressSpace.Mmap(machine, mm, start, length, VmaFlags.Write);
                    if (!AddressSpace.Populate(cpu, mm, start, start + length)) return 2;
                    ops.Munmap(cpu, mm, start, length);
                    ops.ExitMmap(cpu, mm);
                    machine.Rcu.Quiesce();
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{ops.Descriptor.Name}: pages=64 violations={machine.Violations.All.Count} leaked={machine.Memory.InUse - before}"));
                    return 0;
                }
            }
            """;

        // Line 7: the invalidation mode (SHD002); line 8: FragmentsPerPage (SHD001).
        private const string InvalidArchitecture = """
            using Shootdown;

            namespace Consumer;

            /// <summary>Broadcast invalidation and fast GUP without RCU table freeing; fragments without TABLE_FREE.</summary>
            [Architecture("consumer-broken")]
            [TlbInvalidation(Invalidation.HardwareBroadcast)]
            [PageTables(4, FragmentsPerPage = 2)]
            [PteFormat(64, 64, SpecialBit = true)]
            [FastGup]
            internal static partial class Broken
            {
            }
            """;

        private readonly PackedFeed _feed;

        public PackageTests(PackedFeed feed)
        {
            _feed = feed;
            Assert.True(feed.Pack.ExitCode == 0, feed.Pack.ToString());
        }

        [Fact]
        public void Pack_produces_one_package_with_the_library_and_the_compiler_extensions()
        {
            var package = Assert.Single(_feed.Packages);
            Assert.Equal($"Shootdown.{_feed.Version}.nupkg", Path.GetFileName(package));
            using var zip = ZipFile.OpenRead(package);
            var entries = zip.Entries.Select(e => e.FullName).ToList();

            Assert.Contains("lib/net10.0/Shootdown.Runtime.dll", entries);
            Assert.Contains("analyzers/dotnet/cs/Shootdown.Generator.dll", entries);
            Assert.Contains("analyzers/dotnet/cs/Shootdown.CodeFixes.dll", entries);
            Assert.Contains("build/Shootdown.props", entries);
            Assert.DoesNotContain(entries, e => e.StartsWith("lib/", StringComparison.Ordinal)
                && (e.Contains("Generator", StringComparison.Ordinal) || e.Contains("CodeFixes", StringComparison.Ordinal)));
            Assert.DoesNotContain(entries, e => e.Contains("Microsoft.CodeAnalysis", StringComparison.Ordinal));

            var nuspecEntry = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
            using var stream = nuspecEntry.Open();
            var nuspec = XDocument.Load(stream);
            var ns = nuspec.Root!.Name.Namespace;
            var metadata = nuspec.Root.Element(ns + "metadata")!;
            Assert.Equal("Shootdown", metadata.Element(ns + "id")!.Value);
            Assert.Equal(_feed.Version, metadata.Element(ns + "version")!.Value);
            Assert.Empty(metadata.Descendants(ns + "dependency"));
        }

        [Fact]
        public void Pack_gives_no_warning_and_the_metadata_nuget_expects_from_the_one_home_in_Directory_Build_props()
        {
            // MSBuild and NuGet warnings alike read "warning CODE1234" (NU5125 for a license URL, NU5039 for a missing readme).
            Assert.DoesNotMatch(new Regex(@"\bwarning [A-Z]+\d+"), _feed.Pack.Output);

            var props = XDocument.Load(Path.Combine(RepositoryRoot.Path, "Directory.Build.props"));
            string Property(string name) => props.Descendants(name).Single().Value.Trim();
            var repositoryUrl = Property("RepositoryUrl");
            Assert.Matches(new Regex("^https://github\\.com/[^/]+/[^/]+$"), repositoryUrl);

            using var zip = ZipFile.OpenRead(Assert.Single(_feed.Packages));
            var entries = zip.Entries.Select(e => e.FullName).ToList();
            using var stream = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
            var nuspec = XDocument.Load(stream);
            var ns = nuspec.Root!.Name.Namespace;
            var metadata = nuspec.Root.Element(ns + "metadata")!;

            var license = metadata.Element(ns + "license");
            Assert.True(license != null, "the nuspec has no <license>");
            Assert.Equal("expression", license!.Attribute("type")?.Value);
            Assert.Equal(Property("PackageLicenseExpression"), license.Value);
            Assert.Equal("MIT", license.Value);
            Assert.True(File.Exists(Path.Combine(RepositoryRoot.Path, "LICENSE")), "the repository has no LICENSE file");
            // NuGet writes the deprecated licenseUrl itself, for old clients, as the expression's page; never a URL of ours.
            var licenseUrl = metadata.Element(ns + "licenseUrl")?.Value;
            Assert.True(licenseUrl is null || licenseUrl == "https://licenses.nuget.org/" + license.Value, licenseUrl);

            var repository = metadata.Element(ns + "repository");
            Assert.True(repository != null, "the nuspec has no <repository>");
            Assert.Equal(repositoryUrl, repository!.Attribute("url")?.Value);
            Assert.Equal("git", repository.Attribute("type")?.Value);
            Assert.Equal(repositoryUrl, metadata.Element(ns + "projectUrl")?.Value);

            Assert.Equal("package.md", metadata.Element(ns + "readme")?.Value);
            Assert.Contains("package.md", entries);
            Assert.Contains("mmu_gather", metadata.Element(ns + "tags")?.Value ?? "", StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace(metadata.Element(ns + "description")?.Value), "the nuspec has no description");
            Assert.False(string.IsNullOrWhiteSpace(metadata.Element(ns + "authors")?.Value), "the nuspec has no authors");
            Assert.Null(metadata.Element(ns + "icon"));
            Assert.Null(metadata.Element(ns + "iconUrl"));
        }

        [Fact]
        public void A_valid_descriptor_builds_clean_and_its_generated_code_runs()
        {
            var consumer = new ConsumerProject(_feed, "valid").With("TheArch.cs", ValidArchitecture).With("Program.cs", Program);

            var build = consumer.Build();
            Assert.True(build.ExitCode == 0, build.ToString());
            Assert.DoesNotMatch(new Regex(@": (warning|error) "), build.Output);

            var run = consumer.Run();
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Contains("consumer-x86: pages=64 violations=0 leaked=0", run.Output, StringComparison.Ordinal);

            var generated = consumer.GeneratedFiles().Select(Path.GetFileName).ToList();
            Assert.Contains("Consumer.TheArch.Descriptor.g.cs", generated);
            Assert.Contains("Consumer.TheArch.MmuGather.g.cs", generated);
            Assert.Contains("Consumer.TheArch.TableBatch.g.cs", generated);
            Assert.True(Directory.Exists(Path.Combine(_feed.PackagesCache, "shootdown", _feed.Version)),
                "the package was restored into the test's own cache");
        }

        [Fact]
        public void An_unsafe_descriptor_fails_the_build_with_the_rule_ids_at_their_lines_and_gets_its_code()
        {
            var consumer = new ConsumerProject(_feed, "invalid").With("Broken.cs", InvalidArchitecture)
                .With("Program.cs", "namespace Consumer;\n\n/// <summary>Entry point.</summary>\ninternal static class Program\n{\n    private static void Main()\n    {\n    }\n}\n");

            var build = consumer.Build();
            Assert.NotEqual(0, build.ExitCode);
            var errors = Regex.Matches(build.Output, @"Broken\.cs\((\d+),(\d+)\): error (SHD\d{3}):")
                .Select(m => (Line: int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), Id: m.Groups[3].Value))
                .Distinct()
                .OrderBy(e => e.Line)
                .ToList();
            // The two rules at their arguments and nothing else: both are races, so the class got its code as described
            // (no SHD116), and that code compiles under the consumer's strict settings.
            Assert.Equal(new[] { (7, "SHD002"), (8, "SHD001") }, errors);
            Assert.Contains("docs/diagnostics/SHD002.md", build.Output, StringComparison.Ordinal);
            Assert.DoesNotMatch(new Regex(@"\.g\.cs\(\d+,\d+\): (error|warning) "), build.Output);
            Assert.Contains(consumer.GeneratedFiles(), f => f.EndsWith("Consumer.Broken.MmuGather.g.cs", StringComparison.Ordinal));
        }
    }
}
