using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using CsCheck;

namespace Shootdown.Analyzer.Tests.Properties
{
    /// <summary>
    /// One generated program for the code fixes: a descriptor whose options, widths, walker and fast GUP break rules the
    /// fixers fix (SHD001 to SHD008, SHD100, SHD101), in a class shape they fix (not partial, nested in a type that is not),
    /// with the names spelled in every way a user may (a using, qualified, <c>global::</c>, an alias, <c>using static</c>),
    /// the options in every form (or-ed names, parenthesized, a cast integer, a complement, a named argument) and other
    /// partial parts beside it.
    /// </summary>
    internal sealed record FixCase(
        int Qualification, string? Namespace, bool FileScoped, string[] Containers, string Modifiers, string? OtherPart,
        int Invalidation, bool? SyncClear, int Levels, int? Fragments, (int Pte, int Word) Widths, bool Special, int? Walker,
        bool Refill, int? Options, int OptionsForm, int? FastGup, string? Pragma)
    {
        private string Prefix => Qualification switch { 1 => "Shootdown.", 2 => "global::Shootdown.", 3 => "S.", _ => "" };

        private string Usings => Qualification switch
        {
            0 => "using Shootdown;\n",
            3 => "using S = Shootdown;\n",
            4 => "using Shootdown;\nusing static Shootdown.GatherOptions;\n",
            _ => "",
        };

        private static readonly string[] OptionNames = { "TableFree", "RcuTableFree", "NoTableInvalidate", "NoRange", "MergeVmas", "NoFlushCache", "NoGather", "PageSize" };

        private string Option(string name) => Qualification == 4 ? name : Prefix + "GatherOptions." + name;

        private string OptionsText(int value)
        {
            var names = Enumerable.Range(0, 8).Where(bit => (value & (1 << bit)) != 0).Select(bit => Option(OptionNames[bit])).ToList();
            var joined = names.Count == 0 ? Option("None") : string.Join(" | ", names);
            return OptionsForm switch
            {
                1 => "(" + joined + ")",
                2 => "(" + Prefix + "GatherOptions)" + value.ToString(CultureInfo.InvariantCulture),
                // A complement of what is not set, masked to the defined options: the same value in the form fixes must keep valid.
                3 => "~(" + string.Join(" | ", Enumerable.Range(0, 8).Where(bit => (value & (1 << bit)) == 0).Select(bit => Option(OptionNames[bit])).DefaultIfEmpty(Option("None"))) + ") & (" + Prefix + "GatherOptions)255",
                4 => "options: " + joined,
                5 => joined + " | " + Option("None"),
                _ => joined,
            };
        }

        private string Attributes()
        {
            var p = Prefix;
            var b = new StringBuilder();
            b.Append('[').Append(p).Append("Architecture(\"a\")]\n");
            b.Append('[').Append(p).Append("TlbInvalidation(").Append(p).Append(Invalidation == 0 ? "Invalidation.Ipi" : "Invalidation.HardwareBroadcast");
            if (SyncClear != null) b.Append(", SynchronousOnClear = ").Append(SyncClear.Value ? "true" : "false");
            b.Append(")]\n");
            b.Append('[').Append(p).Append("PageTables(").Append(Levels.ToString(CultureInfo.InvariantCulture));
            if (Fragments != null) b.Append(", FragmentsPerPage = ").Append(Fragments.Value.ToString(CultureInfo.InvariantCulture));
            b.Append(")]\n");
            b.Append('[').Append(p).Append("PteFormat(").Append(Widths.Pte.ToString(CultureInfo.InvariantCulture)).Append(", ")
                .Append(Widths.Word.ToString(CultureInfo.InvariantCulture)).Append(Special ? ", SpecialBit = true" : "").Append(")]\n");
            if (Walker != null)
                b.Append('[').Append(p).Append("HardwareWalker(").Append(p).Append("WalkerKind.").Append(new[] { "None", "WalksTables", "CachesUpperLevels" }[Walker.Value]).Append(")]\n");
            if (Refill) b.Append('[').Append(p).Append("SoftwareTlbRefill]\n");
            if (Options != null) b.Append('[').Append(p).Append("Gather(").Append(OptionsText(Options.Value)).Append(")]\n");
            if (FastGup != null)
                b.Append('[').Append(p).Append(FastGup.Value < 0 ? "FastGup]\n" : "FastGup(" + p + "PteRead." + (FastGup.Value == 0 ? "SingleLoad" : "LowHighSplit") + ")]\n");
            return b.ToString();
        }

        private string Keyword => Modifiers.Split(' ').Last();

        /// <summary>The files of the program: the class, and a second file when the other part lives apart.</summary>
        public IReadOnlyList<string> Files()
        {
            var declaration = Attributes() + Modifiers + " Arch\n{\n    public static int Extra => 1;\n}\n";
            var other = OtherPart switch
            {
                "partial" => $"partial {Keyword} Arch {{ }}\n",
                "partial-elsewhere" => null,
                "not-partial-elsewhere" => null,
                "other-kind" => "partial struct Arch { }\n",
                _ => null,
            };
            var files = new List<string> { File(declaration + (other ?? "")) };
            if (OtherPart == "partial-elsewhere") files.Add(File($"partial {Keyword} Arch {{ public static int More => 2; }}\n"));
            if (OtherPart == "not-partial-elsewhere") files.Add(File(Modifiers.Replace("partial ", "", System.StringComparison.Ordinal) + " Arch { }\n"));
            return files;
        }

        private string File(string body)
        {
            var b = new StringBuilder();
            if (Pragma != null) b.Append(Pragma).Append('\n');
            b.Append(Usings);
            var close = 0;
            if (Namespace != null)
            {
                if (FileScoped) b.Append("namespace ").Append(Namespace).Append(";\n");
                else { b.Append("namespace ").Append(Namespace).Append("\n{\n"); close++; }
            }
            foreach (var container in Containers) { b.Append(container).Append("\n{\n"); close++; }
            b.Append(body);
            for (var i = 0; i < close; i++) b.Append("}\n");
            return b.ToString();
        }

        public override string ToString() => string.Join("\n// ---- next file ----\n", Files());
    }

    /// <summary>CsCheck generators of <see cref="FixCase"/>s; every choice shrinks toward its first, plainest option.</summary>
    internal static class FixCaseGen
    {
        private static readonly Gen<string[]> Containers = Gen.OneOf(
            System.Array.Empty<string>(),
            new[] { "public static class Outer" },
            new[] { "public static partial class Outer" },
            new[] { "internal class Outer" },
            new[] { "public partial class Outer<T>" },
            new[] { "public static class Outer", "public static partial class Inner" },
            new[] { "public static class Outer", "public static class Inner" },
            new[] { "public partial record Outer" });

        private static readonly Gen<string> Modifiers = Gen.OneOf(
            "public static partial class", "public static class", "internal sealed partial class", "internal sealed class",
            "public partial record", "public sealed record");

        private static readonly Gen<string?> OtherPart = Gen.OneOf<string?>(null, "partial", "partial-elsewhere", "not-partial-elsewhere", "other-kind");

        // Option sets are mostly small: a mask keeps one or two options common, and shrinks toward none.
        private static readonly Gen<int?> Options = Gen.Select(Gen.Int[0, 255], Gen.OneOf(0x03, 0x07, 0x45, 0x43, 0x05, 0x41, 0x11, 0xff), Gen.Int[0, 5],
            (value, mask, absent) => absent == 0 ? (int?)null : value & mask);

        private static readonly Gen<string?> Pragma = Gen.OneOf<string?>(null, "#pragma warning disable SHD002", "#pragma warning disable SHD106", "#pragma warning disable SHD101");

        public static readonly Gen<FixCase> FixCase =
            Gen.Select(
                Gen.Select(Gen.Int[0, 4], Gen.OneOf<string?>(null, "Archs", "Shootdown.Archs", "System"), Gen.Bool, Containers, Modifiers, OtherPart),
                Gen.Select(Gen.Int[0, 1], Gen.OneOf<bool?>(null, false, true), Gen.OneOf(4, 2, 3, 5), Gen.OneOf<int?>(null, 2, 4),
                    Gen.OneOf((64, 64), (64, 32), (32, 32)), Gen.Bool),
                Gen.Select(Gen.OneOf<int?>(2, null, 0, 1), Gen.Bool, Options, Gen.Int[0, 5], Gen.OneOf<int?>(null, -1, 0, 1), Pragma),
                (place, machine, rest) => new FixCase(
                    place.Item1, place.Item2, place.Item3 && place.Item2 != null, place.Item4, place.Item5, place.Item6,
                    machine.Item1, machine.Item2, machine.Item3, machine.Item4, machine.Item5, machine.Item6,
                    rest.Item1, rest.Item2, rest.Item3, rest.Item4, rest.Item5, rest.Item6));
    }
}
