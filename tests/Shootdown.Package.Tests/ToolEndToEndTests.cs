using System;
using System.IO;
using System.Text.RegularExpressions;
using Shootdown.Package.Tests.Harness;

namespace Shootdown.Package.Tests
{
    /// <summary>
    /// The tool as a user gets it: Shootdown.Tool and Shootdown packed into a folder, the tool installed with --tool-path, a
    /// fresh consumer with one safe and one unsafe class built, checked with --assembly, and a witness replayed elsewhere.
    /// </summary>
    public sealed class ToolEndToEndTests : IClassFixture<PackedFeed>
    {
        // Safe: IPI invalidation, RCU table freeing (x86-64's shape). Unsafe: hardware broadcast with fast GUP and page
        // tables freed without RCU: nothing waits for the interrupts-off walker. SHD002 says so; .editorconfig lowers it
        // to a warning kept out of TreatWarningsAsErrors, so the explorer has to find the race on its own. (A #pragma
        // would today also stop the generator filling the class.)
        private const string Classes = """
            using Shootdown;

            namespace Consumer;

            /// <summary>Safe.</summary>
            [Architecture("consumer-safe")]
            [TlbInvalidation(Invalidation.Ipi)]
            [PageTables(4)]
            [PteFormat(64, 64, SpecialBit = true)]
            [HardwareWalker(WalkerKind.CachesUpperLevels)]
            [Gather(GatherOptions.RcuTableFree)]
            [FastGup]
            internal static partial class Safe
            {
            }

            /// <summary>Unsafe.</summary>
            [Architecture("consumer-unsafe")]
            [TlbInvalidation(Invalidation.HardwareBroadcast)]
            [PageTables(4)]
            [PteFormat(64, 64, SpecialBit = true)]
            [HardwareWalker(WalkerKind.CachesUpperLevels)]
            [Gather(GatherOptions.TableFree)]
            [FastGup]
            internal static partial class Unsafe
            {
            }

            /// <summary>Entry point.</summary>
            internal static class Program
            {
                private static void Main()
                {
                }
            }
            """;

        private static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);
        private readonly PackedFeed _feed;

        public ToolEndToEndTests(PackedFeed feed)
        {
            _feed = feed;
            Assert.True(feed.Pack.ExitCode == 0, feed.Pack.ToString());
        }

        [Fact]
        public void The_installed_tool_proves_the_safe_class_of_a_fresh_consumer()
        {
            InstallToolAndProveTheSafeClass();
        }

        [Fact(Skip = "The generator emits nothing for a class with an SHD error, even when .editorconfig lowers it to a warning, so the unsafe class has no Ops to check; enable when generation no longer depends on the descriptor's findings")]
        public void The_installed_tool_finds_the_unsafe_class_and_its_witness_replays_elsewhere()
        {
            var (tool, consumer, dll, small) = InstallToolAndProveTheSafeClass();

            var broken = Dotnet.Program(tool, consumer.Directory, Limit, ["check", "--assembly", dll, "consumer-unsafe", .. small]);
            Assert.True(broken.ExitCode == 1, broken.ToString());
            var id = Regex.Match(broken.Output, @"replay: (v2:\S+:generated:\S+)").Groups[1].Value;
            Assert.False(string.IsNullOrEmpty(id), broken.ToString());

            var elsewhere = Directory.CreateDirectory(Path.Combine(_feed.Root, "elsewhere")).FullName;
            var replay = Dotnet.Program(tool, elsewhere, Limit, ["check", "--replay", id]);
            Assert.True(replay.ExitCode == 1, replay.ToString());
            Assert.Contains("broken: ", replay.Output, StringComparison.Ordinal);

            var mine = Dotnet.Program(tool, elsewhere, Limit, ["check", "--replay", id, "--assembly", dll]);
            Assert.True(mine.ExitCode == 1, mine.ToString());
            Assert.Contains("agree", mine.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("DISAGREE", mine.Output, StringComparison.Ordinal);
        }

        // Packs the tool, installs it with --tool-path, builds a fresh consumer and proves its safe class.
        private (string Tool, ConsumerProject Consumer, string Dll, string[] Small) InstallToolAndProveTheSafeClass()
        {
            var pack = Dotnet.Run(RepositoryRoot.Path, Limit, "pack", Path.Combine(RepositoryRoot.Path, "archs", "Shootdown.Archs.csproj"), "-c", "Release", "-o", _feed.Feed);
            Assert.True(pack.ExitCode == 0, pack.ToString());
            Assert.True(File.Exists(Path.Combine(_feed.Feed, $"Shootdown.Tool.{_feed.Version}.nupkg")), pack.ToString());
            var tools = Path.Combine(_feed.Root, "tools");
            var install = Dotnet.Run(_feed.Root, Limit, "tool", "install", "--tool-path", tools, "--add-source", _feed.Feed, "--version", _feed.Version, "Shootdown.Tool");
            Assert.True(install.ExitCode == 0, install.ToString());
            var tool = Path.Combine(tools, OperatingSystem.IsWindows() ? "shootdown.exe" : "shootdown");

            var consumer = new ConsumerProject(_feed, "e2e").With("Arch.cs", Classes)
                .With(".editorconfig", "root = true\n\n[*.cs]\ndotnet_diagnostic.SHD002.severity = warning\n")
                .With("Directory.Build.props", "<Project><PropertyGroup><WarningsNotAsErrors>$(WarningsNotAsErrors);SHD002;SHD116</WarningsNotAsErrors></PropertyGroup></Project>\n");
            var build = consumer.Build();
            Assert.True(build.ExitCode == 0, build.ToString());
            var dll = Path.Combine(consumer.Directory, "bin", "Release", "net10.0", "Consumer.dll");
            string[] small = { "--preemptions", "1", "--random", "0", "--pct", "0" };

            var safe = Dotnet.Program(tool, consumer.Directory, Limit, ["check", "--assembly", dll, "consumer-safe", .. small]);
            Assert.True(safe.ExitCode == 0, safe.ToString());
            Assert.Contains(": proved: in every scenario", safe.Output, StringComparison.Ordinal);
            return (tool, consumer, dll, small);
        }
    }
}
