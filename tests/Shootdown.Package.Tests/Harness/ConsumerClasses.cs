using System.IO;

namespace Shootdown.Package.Tests.Harness
{
    /// <summary>
    /// A consumer with one safe and one unsafe architecture class, the pair the tool and the test API are checked on.
    /// </summary>
    internal static class ConsumerClasses
    {
        // Safe: IPI invalidation, RCU table freeing (x86-64's shape). Unsafe: hardware broadcast with fast GUP and page
        // tables freed without RCU: nothing waits for the interrupts-off walker. SHD002 says so; .editorconfig lowers it
        // to a warning kept out of TreatWarningsAsErrors, and since a race is generated as described
        // (docs/diagnostics/README.md) the explorer has to find it on the class's own code.
        public const string Source = """
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

        /// <summary>The consumer project, not yet built; with <paramref name="embedSources"/> the generated texts go into the assembly.</summary>
        public static ConsumerProject Project(PackedFeed feed, string name, bool embedSources = false) => new ConsumerProject(feed, name).With("Arch.cs", Source)
            .With(".editorconfig", "root = true\n\n[*.cs]\ndotnet_diagnostic.SHD002.severity = warning\n")
            .With("Directory.Build.props", "<Project><PropertyGroup><WarningsNotAsErrors>$(WarningsNotAsErrors);SHD002</WarningsNotAsErrors>"
                + (embedSources ? "<ShootdownEmbedGeneratedSources>true</ShootdownEmbedGeneratedSources>" : "") + "</PropertyGroup></Project>\n");

        /// <summary>The built assembly of <paramref name="consumer"/>.</summary>
        public static string Dll(ConsumerProject consumer) => Path.Combine(consumer.Directory, "bin", "Release", "net10.0", "Consumer.dll");
    }
}
