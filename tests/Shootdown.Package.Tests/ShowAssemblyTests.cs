using System;
using System.IO;
using Shootdown.Archs.Commands;
using Shootdown.Package.Tests.Harness;

namespace Shootdown.Package.Tests
{
    /// <summary>
    /// <c>show --assembly</c> on a consumer built from the packed package: the package's build props let
    /// <c>ShootdownEmbedGeneratedSources</c> reach the generator, and show prints the code of the class it names.
    /// </summary>
    public sealed class ShowAssemblyTests : IClassFixture<PackedFeed>
    {
        private readonly PackedFeed _feed;

        public ShowAssemblyTests(PackedFeed feed)
        {
            _feed = feed;
            Assert.True(feed.Pack.ExitCode == 0, feed.Pack.ToString());
        }

        [Fact]
        public void Show_prints_the_generated_code_of_a_class_in_the_assembly_and_refuses_unknown_names()
        {
            var consumer = ConsumerClasses.Project(_feed, "show", embedSources: true);
            var build = consumer.Build();
            Assert.True(build.ExitCode == 0, build.ToString());
            var dll = ConsumerClasses.Dll(consumer);

            var output = new StringWriter();
            Assert.Equal(0, ShowCommand.RunAssembly(dll, "consumer-unsafe", "MmuGather", output, TextWriter.Null));
            var text = output.ToString();
            Assert.StartsWith("// ===== consumer-unsafe: MmuGather =====", text, StringComparison.Ordinal);
            // The unsafe class's own gather: broadcast flushes, a plain table batch, and the race named in its comment.
            Assert.Contains("FlushRangeByBroadcast", text, StringComparison.Ordinal);
            Assert.Contains("UNSAFE as described (SHD002", text, StringComparison.Ordinal);
            Assert.DoesNotContain("===== consumer-safe", text, StringComparison.Ordinal);

            var all = new StringWriter();
            Assert.Equal(0, ShowCommand.RunAssembly(dll, null, null, all, TextWriter.Null));
            Assert.Contains("// ===== consumer-safe: Descriptor =====", all.ToString(), StringComparison.Ordinal);
            Assert.Contains("// ===== consumer-unsafe: FastGup =====", all.ToString(), StringComparison.Ordinal);

            var error = new StringWriter();
            Assert.Equal(Archs.Program.UsageError, ShowCommand.RunAssembly(dll, "x86-64", null, TextWriter.Null, error));
            Assert.Contains("valid names: consumer-safe, consumer-unsafe", error.ToString(), StringComparison.Ordinal);
        }

        [Fact]
        public void Show_says_how_to_embed_the_sources_when_the_build_did_not()
        {
            var consumer = ConsumerClasses.Project(_feed, "show-plain");
            var build = consumer.Build();
            Assert.True(build.ExitCode == 0, build.ToString());

            var error = new StringWriter();
            Assert.Equal(Archs.Program.UsageError, ShowCommand.RunAssembly(ConsumerClasses.Dll(consumer), "consumer-safe", null, TextWriter.Null, error));
            Assert.Contains("consumer-safe has no generated sources embedded", error.ToString(), StringComparison.Ordinal);
            Assert.Contains("<ShootdownEmbedGeneratedSources>true</ShootdownEmbedGeneratedSources>", error.ToString(), StringComparison.Ordinal);
        }
    }
}
