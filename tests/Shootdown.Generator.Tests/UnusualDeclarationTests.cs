using System.Linq;
using Shootdown.Generator.Tests.Infrastructure;

namespace Shootdown.Generator.Tests
{
    /// <summary>
    /// Legal C# that the catalog does not use: records, keyword identifiers, names differing in case, odd containers,
    /// odd architecture names. Each is a descriptor the rules accept, so each must generate code that compiles.
    /// </summary>
    public sealed class UnusualDeclarationTests
    {
        private const string Aspects = "[TlbInvalidation(Invalidation.Ipi)] [PageTables(4)] [PteFormat(64, 64, SpecialBit = true)]";

        private static string Arch(string name, string declaration) =>
            $"/// <summary>Doc.</summary>\n[Architecture({name})] {Aspects}\n{declaration}\n";

        /// <summary>Case label, namespace, declarations in it, and how many architectures they declare.</summary>
        public static TheoryData<string, string, string, int> Declarations() => new()
        {
            { "record-class", "Unusual", Arch("\"rec\"", "public partial record Rec;"), 1 },
            { "record-class-keyword", "Unusual", Arch("\"rec2\"", "public partial record class Rec2 { }"), 1 },
            { "keyword-class-name", "Unusual", Arch("\"kw\"", "public static partial class @event { }"), 1 },
            { "keyword-outer-name", "Unusual", "/// <summary>Doc.</summary>\npublic static partial class @checked\n{\n" + Arch("\"kw-outer\"", "public static partial class Inner { }") + "}\n", 1 },
            { "keyword-namespace", "Unusual.@class", Arch("\"kw-ns\"", "public static partial class InKeywordNamespace { }"), 1 },
            { "names-differing-in-case", "Unusual", Arch("\"lower\"", "public static partial class Machine { }") + Arch("\"upper\"", "public static partial class MACHINE { }"), 2 },
            { "newline-in-name", "Unusual", Arch("\"two\\nlines\"", "public static partial class NewLineName { }"), 1 },
            { "line-separator-in-name", "Unusual", Arch("\"two\\u2028lines\"", "public static partial class LineSeparatorName { }"), 1 },
            { "markup-in-name", "Unusual", Arch("\"<b>&amp;\\\"quoted\\\"\"", "public static partial class MarkupName { }"), 1 },
            { "unicode-names", "Unusual.Ünïcode", Arch("\"ü-arch\"", "public static partial class Über { }"), 1 },
            { "constant-name", "Unusual", Arch("Names.Value", "public static partial class ConstantName { }") + "/// <summary>Doc.</summary>\npublic static class Names\n{\n    /// <summary>Doc.</summary>\n    public const string Value = \"const\";\n}\n", 1 },
            { "named-and-qualified-arguments", "Unusual", "/// <summary>Doc.</summary>\n[global::Shootdown.Architecture(\"fq\")] [Shootdown.TlbInvalidationAttribute(Shootdown.Invalidation.Ipi)] [PageTables(levels: 4, PageSize = 4096)] [PteFormat(wordBits: 64, pteBits: 64)]\npublic static partial class Qualified { }\n", 1 },
            { "non-static-abstract-class", "Unusual", Arch("\"abstract\"", "public abstract partial class Abstract { }"), 1 },
            { "in-interface", "Unusual", "/// <summary>Doc.</summary>\npublic partial interface IHost\n{\n" + Arch("\"in-interface\"", "public static partial class InInterface { }") + "}\n", 1 },
            { "in-record-struct", "Unusual", "/// <summary>Doc.</summary>\npublic partial record struct Holder\n{\n" + Arch("\"in-record-struct\"", "public static partial class InRecordStruct { }") + "}\n", 1 },
            { "in-constrained-generic", "Unusual", "/// <summary>Doc.</summary>\n/// <typeparam name=\"T\">T.</typeparam>\npublic partial class Host<T> where T : class, new()\n{\n" + Arch("\"in-generic\"", "public static partial class InGeneric { }") + "}\n", 1 },
        };

        [Theory]
        [MemberData(nameof(Declarations))]
        public void Valid_unusual_declaration_generates_code_that_compiles(string label, string ns, string declarations, int architectures)
        {
            var source = new SourceFile($"Unusual/{label}.cs", $"using Shootdown;\n\nnamespace {ns}\n{{\n{declarations}}}\n");
            var compilation = GeneratorHarness.Compilation(new[] { source });
            var valid = ArchitectureClasses.In(compilation).ToList();
            Assert.Equal(architectures, valid.Count);
            Assert.All(valid, type => Assert.DoesNotContain(DescriptorRulesOf(type), f => f.Rule.Severity == FindingSeverity.Error));

            var run = GeneratorHarness.Run(compilation);

            run.AssertNoGeneratorFailure();
            Assert.Equal(architectures * 2, run.Files.Count(f => f.HintName.EndsWith(".Descriptor.g.cs") || f.HintName.EndsWith(".MmuGather.g.cs")));
            var diagnostics = run.CompileDiagnostics();
            Assert.True(diagnostics.IsEmpty, $"{label}: " + DiagnosticReport.Format(diagnostics));
        }

        /// <summary>
        /// The rules' verdict on the values written on <paramref name="type"/>, read here without the generator so the
        /// test only asks for code where the rules accept the descriptor.
        /// </summary>
        private static System.Collections.Generic.List<DescriptorFinding> DescriptorRulesOf(Microsoft.CodeAnalysis.INamedTypeSymbol type)
        {
            var attributes = type.GetAttributes().ToDictionary(a => a.AttributeClass!.Name, a => a);
            object? Ctor(string attribute, int index) => attributes[attribute].ConstructorArguments[index].Value;
            object? Named(string attribute, string name) =>
                attributes[attribute].NamedArguments.Where(p => p.Key == name).Select(p => p.Value.Value).FirstOrDefault();
            var d = new ArchDescriptor(
                Name: (string)Ctor("ArchitectureAttribute", 0)!,
                Invalidation: (Invalidation)(int)Ctor("TlbInvalidationAttribute", 0)!,
                SynchronousOnClear: false,
                Levels: (int)Ctor("PageTablesAttribute", 0)!,
                PageSize: (int?)Named("PageTablesAttribute", "PageSize") ?? 4096,
                FragmentsPerPage: 1,
                PteBits: (int)Ctor("PteFormatAttribute", 0)!,
                WordBits: (int)Ctor("PteFormatAttribute", 1)!,
                PteSpecial: (bool?)Named("PteFormatAttribute", "SpecialBit") ?? false,
                Walker: WalkerKind.None,
                SoftwareTlbRefill: false,
                Options: GatherOptions.None,
                FastGup: false,
                PteRead: PteRead.SingleLoad);
            return DescriptorRules.Check(d);
        }
    }
}
