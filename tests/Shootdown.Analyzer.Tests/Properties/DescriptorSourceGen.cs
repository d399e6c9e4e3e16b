using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using CsCheck;

namespace Shootdown.Analyzer.Tests.Properties
{
    /// <summary>
    /// Descriptor sources: mostly plausible values with some out of range, in every namespace and nesting style, and a share
    /// of deliberately malformed inputs (missing, extra or mistyped arguments, duplicate attributes, wrong class shapes,
    /// syntax errors, undefined enum values), and structurally valid races, which the generator generates. Every choice is
    /// read from a CsCheck-generated sequence of numbers in 0..99 (<see cref="Case"/>), and each choice's first option is
    /// the plainest, so CsCheck shrinks a failing source by shrinking its choices toward zero.
    /// </summary>
    internal sealed class DescriptorSourceGen
    {
        /// <summary>More choices than one source makes; a source that runs out reads zeros (the first options).</summary>
        private const int ChoiceCount = 96;

        /// <summary>The CsCheck generator of descriptor cases.</summary>
        public static readonly Gen<DescriptorCase> Case = Gen.Int[0, 99].Array[ChoiceCount].Select(choices => new DescriptorSourceGen(choices).Next(0));

        private readonly Choices _random;

        private DescriptorSourceGen(int[] choices) => _random = new Choices(choices);

        /// <summary>The choice sequence, read as <see cref="Random"/> would be.</summary>
        private sealed class Choices(int[] values)
        {
            private int _next;

            /// <summary>A number in 0..<paramref name="n"/>-1 (two choices when n exceeds 100); shrinks toward 0.</summary>
            public int Next(int n) => (n <= 100 ? Draw() : Draw() * 100 + Draw()) % n;

            private int Draw() => _next < values.Length ? values[_next++] : 0;

            /// <summary>A number in <paramref name="min"/>..<paramref name="max"/>-1; shrinks toward <paramref name="min"/>.</summary>
            public int Next(int min, int max) => min + Next(max - min);
        }

        public DescriptorCase Next(int index)
        {
            var spec = RandomSpec(index);
            if (Chance(35)) MakeSafe(spec);
            else if (Chance(30)) MakeRace(spec);
            // The first option of each choice is the plain one: well-formed.
            var malformation = _random.Next(100) >= 65 ? Malformations[_random.Next(Malformations.Length)] : null;
            return malformation is null ? WellFormed(spec) : Malformed(spec, malformation);
        }

        private static readonly string[] Malformations =
        {
            "missing-aspect", "extra-argument", "wrong-type", "missing-argument", "duplicate-attribute", "not-partial", "generic",
            "nested-in-non-partial", "syntax-error", "null-name", "duplicate-name", "aspect-without-architecture", "unknown-named-argument",
            "struct-target", "garbage-enum",
        };

        private sealed class Spec
        {
            public string Name = "arch";
            public int Invalidation;
            public bool SyncClear;
            public bool WriteSyncClear;
            public int Levels = 4;
            public int? PageSize;
            public int? Fragments;
            public int PteBits = 64;
            public int WordBits = 64;
            public bool Special;
            public int? Walker;
            public bool Refill;
            public int? Options;
            public bool FastGup;
            public int? Read;
            public bool Static;
            public string Layout = "block";
            public bool NestedInPartial;
            public string ClassName = "Arch";

            public ArchDescriptor Descriptor() => new(Name, (Invalidation)Invalidation, SyncClear, Levels, PageSize ?? 4096, Fragments ?? 1,
                PteBits, WordBits, Special, (WalkerKind)(Walker ?? 0), Refill, (GatherOptions)(Options ?? 0), FastGup, (PteRead)(Read ?? 0));
        }

        private Spec RandomSpec(int index)
        {
            var s = new Spec
            {
                Name = Pick("x86-64", "arm64", "s390", "ppc64-radix", "ppc64-hash", "arm-lpae", "sparc64", "", " ") + (Chance(80) ? "" : index.ToString(CultureInfo.InvariantCulture)),
                Invalidation = Chance(92) ? _random.Next(2) : Pick(2, 7, -1),
                Levels = Chance(85) ? _random.Next(2, 6) : Pick(0, 1, 6, 9, -3),
                PageSize = Chance(60) ? null : Chance(80) ? Pick(4096, 16384, 65536) : Pick(0, 2048, 12288, 131072, -4096),
                Fragments = Chance(60) ? null : Chance(80) ? Pick(1, 2, 4, 16) : Pick(0, 3, 32, -2),
                PteBits = Chance(88) ? Pick(32, 64) : Pick(0, 16, 48, 128),
                WordBits = Chance(88) ? Pick(32, 64) : Pick(8, 16, 128),
                Special = Chance(60),
                Walker = Chance(25) ? null : Chance(93) ? _random.Next(3) : Pick(3, -1, 9),
                Refill = Chance(15),
                Options = Chance(20) ? null : Chance(93) ? _random.Next(256) & RandomMask() : Pick(256, 999, -1),
                FastGup = Chance(55),
                Static = Chance(70),
                Layout = Pick("block", "file-scoped", "global"),
                NestedInPartial = Chance(15),
                ClassName = "Arch" + index.ToString(CultureInfo.InvariantCulture),
            };
            s.SyncClear = Chance(20);
            s.WriteSyncClear = s.SyncClear || Chance(20);
            s.Read = s.FastGup && Chance(50) ? (Chance(95) ? _random.Next(2) : Pick(2, -5)) : null;
            return s;
        }

        /// <summary>Repairs a random spec the way a kernel engineer would, so valid descriptors of every shape turn up often.</summary>
        private void MakeSafe(Spec s)
        {
            if (s.Name.Trim().Length == 0) s.Name = "fixed-" + s.ClassName;
            s.Invalidation = s.Invalidation is 0 or 1 ? s.Invalidation : 1;
            s.Levels = Math.Clamp(s.Levels, 2, 5);
            if (s.PageSize is not (null or 4096 or 16384 or 65536)) s.PageSize = 65536;
            if (s.Fragments is not (null or 1 or 2 or 4 or 16)) s.Fragments = 2;
            s.PteBits = s.PteBits is 32 or 64 ? s.PteBits : 64;
            s.WordBits = s.WordBits is 32 or 64 ? s.WordBits : 64;
            if (s.PteBits < s.WordBits) s.PteBits = s.WordBits;
            if (s.Walker is not (null or 0 or 1 or 2)) s.Walker = 2;
            var options = s.Options is >= 0 and <= 255 ? s.Options.Value : 0;
            if (s.Invalidation == 0) s.SyncClear = false;
            if (s.Invalidation == 1 && (s.FastGup || s.Refill)) options |= (int)GatherOptions.RcuTableFree;
            if ((s.Fragments ?? 1) > 1) options |= (int)GatherOptions.TableFree;
            if ((options & (int)GatherOptions.NoGather) != 0 && !s.SyncClear) options &= ~(int)GatherOptions.NoGather;
            if ((options & (int)GatherOptions.NoGather) != 0) options |= (int)GatherOptions.TableFree;
            if ((options & (int)GatherOptions.NoTableInvalidate) != 0 && ((s.Walker ?? 0) != 0 || (options & (int)GatherOptions.RcuTableFree) == 0))
                options &= ~(int)GatherOptions.NoTableInvalidate;
            s.Options = options == 0 && Chance(50) ? null : options;
            if (s.FastGup) s.Read = s.PteBits > s.WordBits ? 1 : Chance(50) ? null : 0;
        }

        /// <summary>A structurally valid descriptor that breaks one race rule (SHD001 to SHD005), chosen at random.</summary>
        private void MakeRace(Spec s)
        {
            MakeSafe(s);
            var options = s.Options ?? 0;
            const int tableFree = (int)(GatherOptions.TableFree | GatherOptions.RcuTableFree | GatherOptions.NoTableInvalidate | GatherOptions.NoGather);
            switch (_random.Next(5))
            {
                case 0: s.Fragments = 2; options &= ~tableFree; break;
                case 1: s.Invalidation = 1; s.FastGup = true; s.Read = s.PteBits > s.WordBits ? 1 : 0; options &= ~(int)(GatherOptions.RcuTableFree | GatherOptions.NoTableInvalidate); break;
                case 2: s.Walker = 2; options |= (int)(GatherOptions.RcuTableFree | GatherOptions.NoTableInvalidate); break;
                case 3: s.SyncClear = false; options |= (int)(GatherOptions.NoGather | GatherOptions.TableFree); break;
                default: s.PteBits = 64; s.WordBits = 32; s.Levels = 3; s.PageSize = null; s.FastGup = true; s.Read = 0; break;
            }
            s.Options = options;
        }

        /// <summary>Option sets are mostly small: a mask keeps the common cases (one or two options) common.</summary>
        private int RandomMask() => Pick(0x03, 0x07, 0x43, 0x45, 0xff, 0x19, 0x21, 0x81, 0x01, 0x02, 0x04, 0x40);

        private DescriptorCase WellFormed(Spec s) => new(Render(s, null), s.Descriptor(), null, Array.Empty<string>());

        private DescriptorCase Malformed(Spec s, string malformation)
        {
            var expected = new List<string>();
            switch (malformation)
            {
                case "missing-aspect": expected.Add(DescriptorRules.MissingAspect); break;
                case "not-partial": expected.Add(DescriptorRules.NotPartial); break;
                case "generic": expected.Add(DescriptorRules.Generic); break;
                case "nested-in-non-partial": expected.Add(DescriptorRules.NestedInNonPartial); break;
                case "null-name": expected.Add(DescriptorRules.BadArgument); break;
                case "duplicate-name": expected.Add(DescriptorRules.DuplicateName); break;
                case "aspect-without-architecture": expected.Add(DescriptorRules.AspectWithoutArchitecture); break;
                case "garbage-enum": expected.Add(DescriptorRules.BadArgument); break;
            }
            return new DescriptorCase(Render(s, malformation), null, malformation, expected);
        }

        private string Render(Spec s, string? malformation)
        {
            var attributes = new List<string>();
            var name = malformation == "null-name" ? "null!" : Literal(s.Name);
            if (malformation != "aspect-without-architecture") attributes.Add($"[Architecture({name})]");

            var invalidation = EnumValue("Invalidation", s.Invalidation, new[] { "Ipi", "HardwareBroadcast" });
            if (malformation == "garbage-enum") invalidation = "(Invalidation)" + Pick(5, 99, -7).ToString(CultureInfo.InvariantCulture);
            var tlb = s.WriteSyncClear ? $"[TlbInvalidation({invalidation}, SynchronousOnClear = {Bool(s.SyncClear)})]" : $"[TlbInvalidation({invalidation})]";
            var pageTables = new StringBuilder("[PageTables(").Append(Int(s.Levels));
            if (s.PageSize != null) pageTables.Append(", PageSize = ").Append(Int(s.PageSize.Value));
            if (s.Fragments != null) pageTables.Append(", FragmentsPerPage = ").Append(Int(s.Fragments.Value));
            pageTables.Append(")]");
            var pte = $"[PteFormat({Int(s.PteBits)}, {Int(s.WordBits)}{(s.Special || Chance(30) ? ", SpecialBit = " + Bool(s.Special) : "")})]";

            var required = new List<string> { tlb, pageTables.ToString(), pte };
            if (malformation == "missing-aspect") required.RemoveAt(_random.Next(required.Count));
            attributes.AddRange(required);
            if (s.Walker != null) attributes.Add($"[HardwareWalker({EnumValue("WalkerKind", s.Walker.Value, new[] { "None", "WalksTables", "CachesUpperLevels" })})]");
            if (s.Refill) attributes.Add("[SoftwareTlbRefill]");
            if (s.Options != null) attributes.Add($"[Gather({Options(s.Options.Value)})]");
            if (s.FastGup) attributes.Add(s.Read is null ? "[FastGup]" : $"[FastGup({EnumValue("PteRead", s.Read.Value, new[] { "SingleLoad", "LowHighSplit" })})]");
            if (malformation == "aspect-without-architecture" && attributes.Count == 0) attributes.Add("[FastGup]");

            switch (malformation)
            {
                case "extra-argument": Replace(attributes, "[PageTables(", "[PageTables(4, 5, "); break;
                case "wrong-type": Replace(attributes, "[PteFormat(", "[PteFormat(\"wide\", "); break;
                case "missing-argument": attributes.Add("[Gather]"); attributes.RemoveAll(a => a.StartsWith("[Gather(", StringComparison.Ordinal)); break;
                case "duplicate-attribute": attributes.Add(attributes[_random.Next(attributes.Count)]); break;
                case "unknown-named-argument": Replace(attributes, "[PageTables(", "[PageTables(Depth = 3, levels: "); break;
            }

            var modifiers = s.Static ? "public static" : "public sealed";
            if (malformation != "not-partial") modifiers += " partial";
            var keyword = malformation == "struct-target" ? "struct" : "class";
            if (malformation == "struct-target") modifiers = "public partial";
            var typeParameters = malformation == "generic" ? "<T>" : "";
            var body = string.Join("\n", attributes) + $"\n{modifiers} {keyword} {s.ClassName}{typeParameters}\n{{\n}}\n";
            if (malformation == "syntax-error") body = BreakSyntax(body);
            if (malformation == "nested-in-non-partial") body = $"public static class Outer{s.ClassName}\n{{\n{body}}}\n";
            else if (s.NestedInPartial) body = $"public static partial class Outer{s.ClassName}\n{{\n{body}}}\n";
            if (malformation == "duplicate-name")
                body += $"\n[Architecture({Literal(s.Name.Trim().Length == 0 ? "dup" : s.Name)})]\n[TlbInvalidation(Invalidation.Ipi)]\n[PageTables(4)]\n[PteFormat(64, 64)]\npublic static partial class Twin{s.ClassName} {{ }}\n";
            if (malformation == "duplicate-name" && s.Name.Trim().Length == 0) body = body.Replace($"[Architecture({Literal(s.Name)})]", "[Architecture(\"dup\")]", StringComparison.Ordinal);

            var usings = "using Shootdown;\n";
            return s.Layout switch
            {
                "file-scoped" => usings + "namespace Generated.Archs;\n\n" + body,
                "global" => usings + "\n" + body,
                _ => usings + "namespace Generated.Archs\n{\n" + body + "}\n",
            };
        }

        private string BreakSyntax(string body)
        {
            var choice = _random.Next(3);
            if (choice == 0)
            {
                var close = body.IndexOf(")]", StringComparison.Ordinal);
                return body.Remove(close + 1, 1);
            }
            if (choice == 1) return body.Replace("{\n}", "{\n", StringComparison.Ordinal);
            var paren = body.LastIndexOf(')');
            return body.Remove(paren, 1);
        }

        private string Options(int value)
        {
            if (value < 0 || value > 255 || Chance(10)) return "(GatherOptions)(" + Int(value) + ")";
            if (value == 0) return "GatherOptions.None";
            var names = new[] { "TableFree", "RcuTableFree", "NoTableInvalidate", "NoRange", "MergeVmas", "NoFlushCache", "NoGather", "PageSize" };
            var parts = Enumerable.Range(0, 8).Where(bit => (value & (1 << bit)) != 0).Select(bit => "GatherOptions." + names[bit]).ToList();
            if (Chance(20)) parts.Reverse();
            return string.Join(" | ", parts);
        }

        private string EnumValue(string type, int value, string[] names) =>
            value >= 0 && value < names.Length && Chance(90) ? type + "." + names[value] : $"({type})({Int(value)})";

        private static void Replace(List<string> attributes, string prefix, string replacement)
        {
            var i = attributes.FindIndex(a => a.StartsWith(prefix, StringComparison.Ordinal));
            if (i >= 0) attributes[i] = replacement + attributes[i].Substring(prefix.Length);
            else attributes.Add(replacement + "1)]");
        }

        private static string Literal(string value) => "\"" + value.Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
        private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);
        private static string Bool(bool value) => value ? "true" : "false";
        private bool Chance(int percent) => _random.Next(100) < percent;
        private T Pick<T>(params T[] values) => values[_random.Next(values.Length)];
    }
}
