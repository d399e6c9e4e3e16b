using System.Collections.Generic;
using System.Linq;
using Shootdown.Archs.Commands;
using Shootdown.Explorer;
using ExplorerSpace = Shootdown.Explorer.DescriptorSpace;

namespace Shootdown.Runtime.Tests.Differential
{
    /// <summary>
    /// A descriptor with a race (a Safety error) but no structural error gets its code generated as described
    /// (docs/diagnostics/README.md): that code compiles for every such descriptor of the explorer's space, and the
    /// explorer shows each race rule's race on the generated code itself, not only on the reference.
    /// </summary>
    public sealed class GeneratedRaceTests
    {
        private static readonly SearchBounds Bounds = new(Preemptions: 1, MaxSystematic: 400, Random: 4, Pct: 2);

        [Fact]
        public void Every_unsafe_but_structurally_valid_descriptor_of_the_explorer_space_compiles_to_the_code_it_describes()
        {
            // Without [FastGup] there is no PteRead to write down, so the space's split-read twin of each such descriptor is
            // the same class; the safe descriptors are compiled by DescriptorSpaceDifferentialTests.
            var unsafeOnes = ExplorerSpace.Valid()
                .Where(d => DescriptorRules.IsUnsafe(d) && (d.FastGup || d.PteRead == PteRead.SingleLoad)).ToList();
            // Races of every rule, alone and together, so compiling them reaches every emitter path a race can take.
            Assert.Equal(
                new[] { DescriptorRules.FragmentsWithoutTableFree, DescriptorRules.SoftwareWalkerWithoutRcu, DescriptorRules.NoTableInvalidateWithWalker,
                    DescriptorRules.NoGatherWithoutSyncClear, DescriptorRules.TornPteRead },
                unsafeOnes.SelectMany(DescriptorRules.Check).Where(f => f.Rule.IsRace).Select(f => f.Id).Distinct().Order());
            Assert.True(unsafeOnes.Count > 2000, $"only {unsafeOnes.Count} unsafe descriptors");

            // Compile throws with the compiler's errors when the generator reports an error or its code does not compile,
            // and checks that each class's generated Descriptor is the one its attributes describe.
            var compiled = DescriptorCompiler.Compile(unsafeOnes);
            Assert.Equal(unsafeOnes.Count, compiled.Count);
            Assert.All(compiled, c => Assert.True(DescriptorRules.IsUnsafe(c.Ops.Descriptor)));
        }

        public static IEnumerable<object[]> Rules() => CheckWitnesses.All.Select(d => new object[] { d.Rule });

        [Theory]
        [MemberData(nameof(Rules))]
        public void The_explorer_shows_each_race_rule_on_the_generated_code(string rule)
        {
            var demo = CheckWitnesses.All.Single(d => d.Rule == rule);
            Assert.True(DescriptorId.TryDecode(demo.Descriptor, out var d, out var error), error);
            var ops = Assert.Single(DescriptorCompiler.Compile(new[] { d })).Ops;

            var report = RaceExplorer.Explore(RaceScenarios.Find(demo.Scenario)!, d, ops, Bounds);

            Assert.NotNull(report.Witness);
            Assert.StartsWith("v2:" + demo.Scenario + ":generated:", report.WitnessId, System.StringComparison.Ordinal);
        }
    }
}
