using System.Collections.Generic;
using System.Text;

namespace Shootdown.Runtime.Tests.Differential
{
    /// <summary>Writes a descriptor back as the attributes a user would put on an architecture class.</summary>
    internal static class DescriptorSourceWriter
    {
        /// <summary>The namespace every compiled descriptor class lives in.</summary>
        public const string Namespace = "Differential.Descriptors";

        /// <summary>One architecture class named <paramref name="className"/> describing <paramref name="d"/>.</summary>
        public static string File(ArchDescriptor d, string className)
        {
            var text = new StringBuilder()
                .Append("using Shootdown;\n\nnamespace ").Append(Namespace).Append("\n{\n")
                .Append("    /// <summary>").Append(d.Summary().Replace("&", "&amp;").Replace("<", "&lt;")).Append("</summary>\n");
            foreach (var attribute in Attributes(d)) text.Append("    ").Append(attribute).Append('\n');
            return text.Append("    public static partial class ").Append(className).Append("\n    {\n    }\n}\n").ToString();
        }

        private static IEnumerable<string> Attributes(ArchDescriptor d)
        {
            yield return "[Architecture(\"" + d.Name + "\")]";
            yield return "[TlbInvalidation(Invalidation." + d.Invalidation + (d.SynchronousOnClear ? ", SynchronousOnClear = true" : "") + ")]";
            yield return "[PageTables(" + d.Levels + ", PageSize = " + d.PageSize + ", FragmentsPerPage = " + d.FragmentsPerPage + ")]";
            yield return "[PteFormat(" + d.PteBits + ", " + d.WordBits + ", SpecialBit = " + (d.PteSpecial ? "true" : "false") + ")]";
            yield return "[HardwareWalker(WalkerKind." + d.Walker + ")]";
            if (d.SoftwareTlbRefill) yield return "[SoftwareTlbRefill]";
            yield return "[Gather(" + Options(d.Options) + ")]";
            if (d.FastGup) yield return "[FastGup(PteRead." + d.PteRead + ")]";
        }

        private static string Options(GatherOptions options)
        {
            if (options == GatherOptions.None) return "GatherOptions.None";
            var parts = new List<string>();
            foreach (var pair in GatherOptionNames.All)
            {
                if ((options & pair.Key) != 0) parts.Add("GatherOptions." + pair.Key);
            }
            return string.Join(" | ", parts);
        }
    }
}
