using System.Collections.Generic;
using System.Linq;

namespace Shootdown.Analyzer.Tests.Harness
{
    /// <summary>
    /// Builds a descriptor class from one line per attribute. The defaults describe a safe, quiet architecture (IPI, 4 levels,
    /// 64-bit PTE with a special bit, a caching hardware walker, TABLE_FREE); each test changes only what it is about.
    /// </summary>
    internal static class Descriptors
    {
        public const string Usings = "using Shootdown;\n\n";

        /// <summary>The default declaration, marked with the generator's SHD116 for a class an SHD error leaves without code.</summary>
        public const string Refused = "public static partial class {|SHD116:Demo|}";

        public static string Class(
            string? architecture = "[Architecture(\"demo\")]",
            string? invalidation = "[TlbInvalidation(Invalidation.Ipi)]",
            string? pageTables = "[PageTables(4)]",
            string? pteFormat = "[PteFormat(64, 64, SpecialBit = true)]",
            string? walker = "[HardwareWalker(WalkerKind.CachesUpperLevels)]",
            string? gather = "[Gather(GatherOptions.TableFree)]",
            string? fastGup = null,
            string? refill = null,
            string declaration = "public static partial class Demo")
        {
            var attributes = new[] { architecture, invalidation, pageTables, pteFormat, walker, gather, fastGup, refill }
                .Where(a => a != null)
                .Select(a => "    " + a + "\n");
            return Usings + "namespace Archs\n{\n" + string.Concat(attributes) + "    " + declaration + "\n    {\n    }\n}\n";
        }

        public static IEnumerable<string> Lines(string source) => source.Split('\n');
    }
}
