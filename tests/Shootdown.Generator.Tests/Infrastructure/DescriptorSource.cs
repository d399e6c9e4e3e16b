using System.Collections.Generic;
using System.Text;

namespace Shootdown.Generator.Tests.Infrastructure
{
    /// <summary>Writes an <see cref="ArchDescriptor"/> back as the attributes a user would put on an architecture class.</summary>
    internal static class DescriptorSource
    {
        /// <summary>
        /// A file with one architecture class. The namespace is deliberately not under Shootdown: generated code has to
        /// name every runtime type with global:: rather than lean on the enclosing namespace.
        /// </summary>
        public static SourceFile File(ArchDescriptor d, string className, string ns = "Descriptors.Varied")
        {
            var text = new StringBuilder()
                .Append("using Shootdown;\n\n")
                .Append("namespace ").Append(ns).Append('\n')
                .Append("{\n")
                .Append("    /// <summary>").Append(d.Summary().Replace("&", "&amp;").Replace("<", "&lt;")).Append("</summary>\n");
            foreach (var attribute in Attributes(d)) text.Append("    ").Append(attribute).Append('\n');
            text.Append("    public static partial class ").Append(className).Append("\n    {\n    }\n}\n");
            return new SourceFile("Varied/" + className + ".cs", text.ToString());
        }

        /// <summary>
        /// Namespaces called System and Shootdown next to the descriptor classes: a generated name that is not global::
        /// qualified binds to them and fails to compile, so compiling is itself the qualification check.
        /// </summary>
        public static SourceFile Decoys(string ns = "Descriptors.Varied") => new("Varied/Decoys.cs",
            "namespace " + ns + ".System\n{\n    internal static class Decoy { }\n}\n\n" +
            "namespace " + ns + ".Shootdown\n{\n    internal static class Decoy { }\n}\n");

        /// <summary>The attribute lines that describe <paramref name="d"/>, leaving out what the defaults already say.</summary>
        public static IEnumerable<string> Attributes(ArchDescriptor d)
        {
            yield return "[Architecture(\"" + d.Name + "\")]";
            yield return "[TlbInvalidation(Invalidation." + d.Invalidation + (d.SynchronousOnClear ? ", SynchronousOnClear = true" : "") + ")]";
            var pageTables = "[PageTables(" + d.Levels;
            if (d.PageSize != 4096) pageTables += ", PageSize = " + d.PageSize;
            if (d.FragmentsPerPage != 1) pageTables += ", FragmentsPerPage = " + d.FragmentsPerPage;
            yield return pageTables + ")]";
            yield return "[PteFormat(" + d.PteBits + ", " + d.WordBits + (d.PteSpecial ? ", SpecialBit = true" : "") + ")]";
            if (d.Walker != WalkerKind.None) yield return "[HardwareWalker(WalkerKind." + d.Walker + ")]";
            if (d.SoftwareTlbRefill) yield return "[SoftwareTlbRefill]";
            if (d.Options != GatherOptions.None || d.PmdFreeFlushesAll)
                yield return "[Gather(" + (d.Options == GatherOptions.None ? "GatherOptions.None" : Options(d.Options))
                    + (d.PmdFreeFlushesAll ? ", PmdFreeFlushesAll = true" : "") + ")]";
            if (d.FastGup) yield return "[FastGup(PteRead." + d.PteRead + ")]";
        }

        private static string Options(GatherOptions options)
        {
            var parts = new List<string>();
            foreach (var pair in GatherOptionNames.All)
            {
                if ((options & pair.Key) != 0) parts.Add("GatherOptions." + pair.Key);
            }
            return string.Join(" | ", parts);
        }
    }
}
