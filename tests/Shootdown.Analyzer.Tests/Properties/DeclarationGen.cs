using System.Collections.Generic;
using System.Text;
using CsCheck;

namespace Shootdown.Analyzer.Tests.Properties
{
    /// <summary>
    /// One generated program around an architecture class: where it is declared (namespace, nesting, modifiers, name), what
    /// else the user declared in and around it (members and types with the generator's names, a type named var, other
    /// partial parts, a file-local twin) and which descriptor and pragma it carries.
    /// </summary>
    internal sealed record Declaration(
        string? Namespace, bool FileScoped, string? Container, string Modifiers, string ClassName, string? Member,
        string? OtherPart, string? Twin, bool VarSibling, string Attributes, string? Pragma)
    {
        /// <summary>The files of the program.</summary>
        public IReadOnlyList<string> Files()
        {
            var files = new List<string> { File(Modifiers + " " + ClassName, Member, includeAttributes: true, OtherPart) };
            // The twin has its own architecture name, so only the class names meet (a file-local twin is legal C#).
            if (Twin != null) files.Add(File(Twin + " " + ClassName, null, includeAttributes: true, null).Replace("[Architecture(\"", "[Architecture(\"twin-"));
            return files;
        }

        private string File(string declaration, string? member, bool includeAttributes, string? otherPart)
        {
            var b = new StringBuilder();
            if (Pragma != null) b.Append(Pragma).Append('\n');
            b.Append("using Shootdown;\n");
            var close = 0;
            if (Namespace != null)
            {
                if (FileScoped) b.Append("namespace ").Append(Namespace).Append(";\n");
                else { b.Append("namespace ").Append(Namespace).Append("\n{\n"); close++; }
            }
            if (VarSibling) b.Append("internal sealed class var { }\n");
            if (Container != null) { b.Append(Container).Append("\n{\n"); close++; }
            if (includeAttributes) b.Append(Attributes);
            b.Append(declaration).Append("\n{\n");
            if (member != null) b.Append("    ").Append(member).Append('\n');
            b.Append("}\n");
            if (otherPart != null) b.Append(otherPart.Replace("$", ClassName)).Append('\n');
            for (var i = 0; i < close; i++) b.Append("}\n");
            return b.ToString();
        }

        public override string ToString() => string.Join("\n// ---- next file ----\n", Files());
    }

    /// <summary>CsCheck generators of <see cref="Declaration"/>s; each choice shrinks toward its first, plainest option.</summary>
    internal static class DeclarationGen
    {
        private const string Shape = "[PageTables(4)]\n[PteFormat(64, 64, SpecialBit = true)]\n[HardwareWalker(WalkerKind.CachesUpperLevels)]\n";

        private static readonly string[] Names =
            { "Arch", "Descriptor", "Ops", "MmuGather", "FastGup", "@var", "@file", "@required", "@scoped", "@record", "@async", "Shootdown", "System", "@class", "TableBatch" };

        private static readonly string[] MemberNames = { "Extra", "Descriptor", "Ops", "MmuGather", "FastGup", "PageSize", "Cpu", "Shootdown", "System", "@var" };

        public static readonly Gen<string?> Namespace =
            Gen.OneOf<string?>(null, "Archs", "System", "Shootdown", "Shootdown.Simulation", "@file.@async", "App.@record", "System.Runtime");

        public static readonly Gen<string?> Container = Gen.OneOf<string?>(null,
            "public static partial class Outer", "public partial class Outer<T>", "public static partial class @required",
            "public partial record Outer", "public partial struct Outer", "public static class Closed", "public partial class Outer<T> where T : class");

        public static readonly Gen<string> Modifiers = Gen.OneOf(
            "public static partial class", "internal partial class", "public sealed partial class", "public partial record",
            "file static partial class", "public static class", "public static partial class");

        public static readonly Gen<string?> Member = Gen.Select(Gen.OneOf(MemberNames), Gen.Int[0, 4], (name, kind) => kind switch
        {
            0 => null,
            1 => "public static int " + name + " => 1;",
            2 => "public static class " + name + " { }",
            3 => "public static void " + name + "() { }",
            _ => "public const int " + name + " = 1;",
        });

        public static readonly Gen<string?> OtherPart = Gen.OneOf<string?>(null,
            "public static partial class $ { public static int Extra2 => 2; }",
            "partial class $ { }",
            "public partial record $ { }",
            "public static partial class $ { public static int Ops => 3; }");

        public static readonly Gen<string?> Twin = Gen.OneOf<string?>(null, "file static partial class", "public static partial class");

        // Broadcast invalidation turns aspects 0 and 4 with [FastGup] into SHD002; aspects 6 and 7 are SHD003 and SHD004 on any
        // machine: races, which are generated. Aspect 5 is SHD101, a Structure error, which is not.
        public static readonly Gen<string> Attributes = Gen.Select(Gen.OneOf("a", "b", ""), Gen.Int[0, 7], Gen.Bool, Gen.Bool, (name, aspects, fastGup, broadcast) =>
            "[Architecture(\"" + name + "\")]\n" + (broadcast ? "[TlbInvalidation(Invalidation.HardwareBroadcast)]\n" : "[TlbInvalidation(Invalidation.Ipi)]\n")
            + Shape + (aspects switch
            {
                0 => "[Gather(GatherOptions.TableFree)]\n",
                1 => "[Gather(GatherOptions.RcuTableFree)]\n",
                2 => "",
                3 => "[Gather((GatherOptions)0)]\n",
                4 => "[Gather(GatherOptions.TableFree | GatherOptions.NoRange)]\n",
                5 => "[Gather(GatherOptions.TableFree | GatherOptions.NoTableInvalidate)]\n",
                6 => "[Gather(GatherOptions.RcuTableFree | GatherOptions.NoTableInvalidate)]\n",
                _ => "[Gather(GatherOptions.TableFree | GatherOptions.NoGather)]\n",
            }) + (fastGup ? "[FastGup]\n" : ""));

        public static readonly Gen<string?> Pragma = Gen.OneOf<string?>(null,
            "#pragma warning disable SHD006", "#pragma warning disable SHD002", "#pragma warning disable SHD101", "#pragma warning disable SHD115", "#pragma warning disable SHD116", "#pragma warning disable SHD107");

        public static readonly Gen<Declaration> Declaration =
            Gen.Select(
                Gen.Select(Namespace, Gen.Bool, Container, Modifiers, Gen.OneOf(Names)),
                Gen.Select(Member, OtherPart, Twin, Gen.Bool),
                Gen.Select(Attributes, Pragma),
                (place, around, descriptor) => new Declaration(
                    place.Item1, place.Item2 && place.Item1 != null, place.Item3, place.Item4, place.Item5,
                    around.Item1, around.Item2, around.Item3, around.Item4, descriptor.Item1, descriptor.Item2));
    }
}
