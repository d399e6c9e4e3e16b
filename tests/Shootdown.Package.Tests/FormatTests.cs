using System;
using System.IO;
using Shootdown.Package.Tests.Harness;

namespace Shootdown.Package.Tests
{
    /// <summary>The code fixes as <c>dotnet format</c> runs them on a consumer of the package: Fix All, rule by rule, in the solution.</summary>
    public sealed class FormatTests : IClassFixture<PackedFeed>
    {
        // A.cs comes first, so when dotnet format fixes SHD001 the first diagnostic it meets is A's SHD002, and it asks for
        // Fix All with that rule's key.
        private const string Broadcast = """
            using Shootdown;

            namespace Consumer;

            /// <summary>Broadcast invalidation and fast GUP without RCU table freeing (SHD002).</summary>
            [Architecture("consumer-a")]
            [TlbInvalidation(Invalidation.HardwareBroadcast)]
            [PageTables(4)]
            [PteFormat(64, 64, SpecialBit = true)]
            [FastGup]
            internal static partial class A
            {
            }
            """;

        private const string Fragments = """
            using Shootdown;

            namespace Consumer;

            /// <summary>Two page tables per page without TABLE_FREE (SHD001).</summary>
            [Architecture("consumer-b")]
            [TlbInvalidation(Invalidation.Ipi)]
            [PageTables(4, FragmentsPerPage = 2)]
            [PteFormat(64, 64, SpecialBit = true)]
            internal static partial class B
            {
            }
            """;

        private readonly PackedFeed _feed;

        public FormatTests(PackedFeed feed)
        {
            _feed = feed;
            Assert.True(feed.Pack.ExitCode == 0, feed.Pack.ToString());
        }

        [Fact]
        public void Dotnet_format_applies_the_fix_of_each_rule_it_is_given_and_the_result_builds()
        {
            var consumer = new ConsumerProject(_feed, "format").With("A.cs", Broadcast).With("B.cs", Fragments)
                .With("Program.cs", "namespace Consumer;\n\n/// <summary>Entry point.</summary>\ninternal static class Program\n{\n    private static void Main()\n    {\n    }\n}\n");

            var format = consumer.Format("analyzers", "--diagnostics", "SHD001", "SHD002", "--severity", "info");

            Assert.True(format.ExitCode == 0, format.ToString());
            Assert.DoesNotContain("Unable to fix", format.Output, StringComparison.Ordinal);
            var a = File.ReadAllText(Path.Combine(consumer.Directory, "A.cs"));
            var b = File.ReadAllText(Path.Combine(consumer.Directory, "B.cs"));
            Assert.Contains("[Gather(GatherOptions.RcuTableFree)]", a, StringComparison.Ordinal);
            Assert.Contains("[Gather(GatherOptions.TableFree)]", b, StringComparison.Ordinal);
            var build = consumer.Build();
            Assert.True(build.ExitCode == 0, build.ToString());
        }
    }
}
