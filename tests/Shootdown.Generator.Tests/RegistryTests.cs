using System.Collections.Immutable;
using System.Linq;
using Shootdown.Generator.Tests.Infrastructure;
using Xunit;

namespace Shootdown.Generator.Tests
{
    /// <summary>
    /// The assembly's architecture registry (<c>Shootdown.Generated.ShootdownArchitectures</c>): every valid class other
    /// code can name, ordered by architecture name, and nothing else, so the catalog and tools need no hand-kept list.
    /// </summary>
    public sealed class RegistryTests
    {
        private const string Valid = "[TlbInvalidation(Invalidation.Ipi)] [PageTables(4)] [PteFormat(64, 64, SpecialBit = true)]";

        private static SourceFile File(string name, string body) => new("Reg/" + name + ".cs", "using Shootdown;\n" + body + "\n");

        [Fact]
        public void Lists_every_nameable_valid_class_by_architecture_name_and_compiles()
        {
            var run = GeneratorHarness.Run(new[]
            {
                File("Zed", "namespace Ns { [Architecture(\"zed\")] " + Valid + " public static partial class Zed { } }"),
                File("Alpha", "namespace Ns.Inner { public static partial class Host { [Architecture(\"alpha\")] " + Valid + " internal static partial class Alpha { } } }"),
                File("Global", "[Architecture(\"mid\")] " + Valid + " public static partial class @event { }"),
                File("Hidden", "namespace Ns { public static partial class Box { [Architecture(\"hidden\")] " + Valid + " private static partial class Hidden { } } }"),
                File("Local", "namespace Ns { [Architecture(\"local\")] " + Valid + " file static partial class Local { } }"),
                File("Broken", "namespace Ns { [Architecture(\"broken\")] [TlbInvalidation(Invalidation.Ipi)] [PageTables(9)] [PteFormat(64, 64)] public static partial class Broken { } }"),
            });
            run.AssertNoGeneratorFailure();
            var registry = run.Registry;
            Assert.NotNull(registry);
            var lines = registry!.Split('\n').Where(l => l.Contains("GeneratedArchitecture(global::")).Select(l => l.Trim()).ToList();
            Assert.Equal(new[]
            {
                "new global::Shootdown.Simulation.GeneratedArchitecture(global::Ns.Inner.Host.Alpha.Ops), // alpha",
                "new global::Shootdown.Simulation.GeneratedArchitecture(global::@event.Ops), // mid",
                "new global::Shootdown.Simulation.GeneratedArchitecture(global::Ns.Zed.Ops), // zed",
            }, lines);
            var errors = run.CompileDiagnostics().Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error && d.Id is not ("SHD103" or "CS1591")).ToList();
            Assert.True(errors.Count == 0, DiagnosticReport.Format(errors.ToImmutableArray()));
        }

        [Fact]
        public void Embeds_the_sources_when_the_build_asks()
        {
            var run = GeneratorHarness.Run(new[] { File("One", "namespace Ns { [Architecture(\"one\")] " + Valid + " public static partial class One { } }") }, BuildProperties.Archs);
            Assert.Contains("GeneratedArchitecture(global::Ns.One.Ops, global::Ns.One.GeneratedSources)", run.Registry);
            Assert.Empty(run.CompileDiagnostics().Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error && d.Id != "CS1591"));
        }

        [Fact]
        public void No_architecture_no_registry()
        {
            var run = GeneratorHarness.Run(new[] { File("Plain", "namespace Ns { public static partial class Plain { } }") });
            Assert.Null(run.Registry);
        }
    }
}

namespace Shootdown.Generator.Tests
{
    /// <summary>A type of the user's in the runtime's namespaces that takes the name of a runtime type the generated code uses.</summary>
    public sealed class RuntimeNameShadowingTests
    {
        [Fact]
        public void A_class_shadowing_a_runtime_type_gets_no_code_and_the_generator_says_why()
        {
            var run = GeneratorHarness.Run(new[]
            {
                new SourceFile("Shadow.cs", "using Shootdown;\nnamespace Shootdown.Simulation\n{\n[Architecture(\"b\")] [TlbInvalidation(Invalidation.Ipi)] [PageTables(4)] [PteFormat(64, 64, SpecialBit = true)] [Gather(GatherOptions.RcuTableFree)]\npublic static partial class TableBatch { }\n}\n"),
            });
            run.AssertNoGeneratorFailure();
            Assert.Empty(run.Files);
            Assert.Contains(run.Result.Diagnostics, d => d.Id == "SHD116" && d.GetMessage(System.Globalization.CultureInfo.InvariantCulture).Contains("SHD115", System.StringComparison.Ordinal));
        }
    }
}
