using System.Linq;
using Shootdown.Generator.Tests.Infrastructure;

namespace Shootdown.Generator.Tests
{
    /// <summary>
    /// Structurally invalid descriptors produce no code and no crash (the analyzer and SHD116 explain them); a valid
    /// neighbour is unaffected. A race is not invalid: it gets its code (docs/diagnostics/README.md).
    /// </summary>
    public sealed class RobustnessTests
    {
        private const string Valid = "[TlbInvalidation(Invalidation.Ipi)] [PageTables(4)] [PteFormat(64, 64, SpecialBit = true)]";

        private static SourceFile Case(string className, string declaration) =>
            new("Invalid/" + className + ".cs", "using Shootdown;\nnamespace Invalid\n{\n" + declaration + "\n}\n");

        public static TheoryData<string, string> InvalidDescriptors() => new()
        {
            { "MissingPageTables", "[Architecture(\"missing-page-tables\")] [TlbInvalidation(Invalidation.Ipi)] [PteFormat(64, 64)] public static partial class MissingPageTables { }" },
            { "MissingEverything", "[Architecture(\"missing-everything\")] public static partial class MissingEverything { }" },
            { "NotPartial", "[Architecture(\"not-partial\")] " + Valid + " public static class NotPartial { }" },
            { "NoGatherWithoutTableFree", "[Architecture(\"no-gather\")] [TlbInvalidation(Invalidation.HardwareBroadcast, SynchronousOnClear = true)] [PageTables(4)] [PteFormat(64, 64)] [Gather(GatherOptions.NoGather)] public static partial class NoGatherWithoutTableFree { }" },
            { "BadLevels", "[Architecture(\"bad-levels\")] [TlbInvalidation(Invalidation.Ipi)] [PageTables(7)] [PteFormat(64, 64)] public static partial class BadLevels { }" },
            { "NullName", "[Architecture(null!)] " + Valid + " public static partial class NullName { }" },
            { "UndefinedEnum", "[Architecture(\"undefined-enum\")] [TlbInvalidation((Invalidation)9)] [PageTables(4)] [PteFormat(64, 64)] public static partial class UndefinedEnum { }" },
            { "WrongArgumentType", "[Architecture(\"wrong-type\")] [TlbInvalidation(Invalidation.Ipi)] [PageTables(\"four\")] [PteFormat(64, 64)] public static partial class WrongArgumentType { }" },
            { "Generic", "[Architecture(\"generic\")] " + Valid + " public static partial class Generic<T> { }" },
            { "NestedInNonPartial", "public static class Host { [Architecture(\"nested\")] " + Valid + " public static partial class NestedInNonPartial { } }" },
            { "OnStruct", "[Architecture(\"on-struct\")] " + Valid + " public partial struct OnStruct { }" },
            { "Duplicate", "[Architecture(\"twice\")] " + Valid + " public static partial class Duplicate { } [Architecture(\"twice\")] " + Valid + " public static partial class DuplicateAgain { }" },
        };

        [Theory]
        [MemberData(nameof(InvalidDescriptors))]
        public void Invalid_descriptor_generates_nothing_and_does_not_throw(string className, string declaration)
        {
            var good = Case("Good", "/// <summary>Good.</summary>\n[Architecture(\"good\")] " + Valid + " public static partial class Good { }");
            var run = GeneratorHarness.Run(new[] { Case(className, declaration), good });

            run.AssertNoGeneratorFailure();
            Assert.DoesNotContain(run.DriverDiagnostics, d => d.Id == "CS8785");
            var forInvalid = run.ArchitectureFiles.Where(f => !f.HintName.StartsWith("Invalid.Good.", System.StringComparison.Ordinal)).Select(f => f.HintName).ToList();
            Assert.True(forInvalid.Count == 0, $"{className} generated: " + string.Join(", ", forInvalid));
            Assert.Contains("Invalid.Good.MmuGather.g.cs", run.Files.Select(f => f.HintName));
            Assert.DoesNotContain(className + ".Ops", run.Registry);
            Assert.Contains("global::Invalid.Good.Ops", run.Registry);
            // A class refused on its own errors is named by the generator; a duplicate name and a struct are left to SHD109 and the attribute usage check.
            if (className is not ("Duplicate" or "OnStruct"))
                Assert.Contains(run.Result.Diagnostics, d => d.Id == "SHD116" && d.GetMessage(System.Globalization.CultureInfo.InvariantCulture).Contains("'" + className + "'", System.StringComparison.Ordinal));
            Assert.DoesNotContain(run.Result.Diagnostics, d => d.Id == "SHD116" && d.GetMessage(System.Globalization.CultureInfo.InvariantCulture).Contains("'Good'", System.StringComparison.Ordinal));
        }

        public static TheoryData<string, string> Races() => new()
        {
            { "FragmentsWithoutTableFree", "[Architecture(\"fragments\")] [TlbInvalidation(Invalidation.Ipi)] [PageTables(4, FragmentsPerPage = 2)] [PteFormat(64, 64)] public static partial class FragmentsWithoutTableFree { }" },
            { "BroadcastFastGupWithoutRcu", "[Architecture(\"broadcast-gup\")] [TlbInvalidation(Invalidation.HardwareBroadcast)] [PageTables(4)] [PteFormat(64, 64, SpecialBit = true)] [FastGup] public static partial class BroadcastFastGupWithoutRcu { }" },
            { "TornPteRead", "[Architecture(\"torn\")] [TlbInvalidation(Invalidation.Ipi)] [PageTables(3)] [PteFormat(64, 32, SpecialBit = true)] [Gather(GatherOptions.RcuTableFree)] [FastGup(PteRead.SingleLoad)] public static partial class TornPteRead { }" },
        };

        [Theory]
        [MemberData(nameof(Races))]
        public void A_race_is_generated_as_described_and_compiles(string className, string declaration)
        {
            var run = GeneratorHarness.Run(new[] { Case(className, "/// <summary>A race.</summary>\n" + declaration) });

            run.AssertNoGeneratorFailure();
            Assert.Contains("Invalid." + className + ".MmuGather.g.cs", run.Files.Select(f => f.HintName));
            Assert.Contains("global::Invalid." + className + ".Ops", run.Registry);
            Assert.DoesNotContain(run.Result.Diagnostics, d => d.Id == "SHD116");
            var diagnostics = run.CompileDiagnostics();
            Assert.True(diagnostics.IsEmpty, DiagnosticReport.Format(diagnostics));
            Assert.Contains("UNSAFE as described", run.Files.Single(f => f.HintName.EndsWith(".MmuGather.g.cs", System.StringComparison.Ordinal)).Text, System.StringComparison.Ordinal);
        }

        [Fact]
        public void Class_that_is_not_an_architecture_generates_nothing()
        {
            var run = GeneratorHarness.Run(new[] { Case("Plain", "[PageTables(4)] public static partial class Plain { }") });
            run.AssertNoGeneratorFailure();
            Assert.Empty(run.Files);
        }
    }
}
