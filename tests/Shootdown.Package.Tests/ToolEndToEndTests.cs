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

        [Fact]
        public void The_installed_tool_finds_the_unsafe_class_and_its_witness_replays_elsewhere()
        {
            var (tool, consumer, dll, small) = InstallToolAndProveTheSafeClass();

            var broken = Dotnet.Program(tool, consumer.Directory, Limit, ["check", "--assembly", dll, "consumer-unsafe", .. small]);
            Assert.True(broken.ExitCode == 1, broken.ToString());
            // The race is found on the class's own generated code, not only on the reference.
            Assert.Matches(@"violation\s+consumer-unsafe\s+munmap-vs-gup-fast\s+generated", broken.Output);
            Assert.Contains("): violation: ", broken.Output, StringComparison.Ordinal);
            var id = Regex.Match(broken.Output, @"replay: (v2:\S+:generated:\S+)").Groups[1].Value;
            Assert.False(string.IsNullOrEmpty(id), broken.ToString());

            var elsewhere = Directory.CreateDirectory(Path.Combine(_feed.Root, "elsewhere")).FullName;
            // No assembly and another directory: the id alone carries the descriptor and the schedule.
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

            var consumer = ConsumerClasses.Project(_feed, "e2e");
            var build = consumer.Build();
            Assert.True(build.ExitCode == 0, build.ToString());
            Assert.Contains(consumer.GeneratedFiles(), f => f.EndsWith("Consumer.Unsafe.MmuGather.g.cs", StringComparison.Ordinal));
            var dll = ConsumerClasses.Dll(consumer);
            string[] small = { "--preemptions", "1", "--random", "0", "--pct", "0" };

            var safe = Dotnet.Program(tool, consumer.Directory, Limit, ["check", "--assembly", dll, "consumer-safe", .. small]);
            Assert.True(safe.ExitCode == 0, safe.ToString());
            Assert.Contains(": proved: in every scenario", safe.Output, StringComparison.Ordinal);
            return (tool, consumer, dll, small);
        }
    }
}
