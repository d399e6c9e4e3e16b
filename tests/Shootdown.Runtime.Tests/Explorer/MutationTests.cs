using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Shootdown.Archs.Catalog;
using Shootdown.Archs.Commands;
using Shootdown.Explorer;
using Shootdown.Explorer.Mutation;
using Shootdown.Simulation;

namespace Shootdown.Runtime.Tests.Explorer
{
    /// <summary>
    /// The mutation suite (docs/mutation.md): each Linux bug put back into the reference is caught by the explorer, with
    /// a witness that replays, on one catalog architecture where it is possible; harmless changes are not reported. The
    /// whole matrix, every mutant on every catalog architecture, is <c>check --mutants</c>.
    /// </summary>
    public sealed class MutationTests
    {
        // The catalog in the order a mutant's representative is picked: the first where the bug is possible.
        private static readonly string[] Preferred = { "x86-64", "arm64", "x86-pae", "s390x", "sparc64", "powerpc64-radix", "powerpc64-hash", "riscv64", "arm-lpae", "s390x-2k" };

        // Possible, but no scenario reaches a window the machine's invariant sees (docs/mutation.md, survivors).
        private static readonly string[] Survivors = System.Array.Empty<string>();

        public static IEnumerable<object[]> Bugs() =>
            Mutants.All.Where(m => m.Kind != MutantKind.Harmless && !Survivors.Contains(m.Name)).Select(m => new object[] { m.Name });

        private static ArchDescriptor Representative(Mutant mutant) =>
            Preferred.Select(n => ArchitectureCatalog.Find(n)!.Descriptor).First(mutant.Possible);

        [Theory]
        [MemberData(nameof(Bugs))]
        public void The_explorer_catches_the_bug_with_a_witness_that_replays_and_is_clean_without_it(string name)
        {
            var mutant = Mutants.Find(name)!;
            var d = Representative(mutant);
            var verdict = MutationRun.Explore(mutant, d, onlyExpected: true);
            Assert.True(verdict.Outcome == MutantOutcome.Killed, verdict.ToString());
            Assert.True(verdict.Replays, verdict.ToString());
            Assert.True(verdict.CleanWithoutFault, verdict.ToString());
            Assert.Contains(verdict.Scenario, mutant.Scenarios);
            Assert.StartsWith($"v2:{verdict.Scenario}:reference+{mutant.Name}:", verdict.WitnessId, System.StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("ipi-flush-without-wait")]
        [InlineData("collapse-flush-keeps-walk-caches")]
        [InlineData("table-free-single-user-at-once")]
        public void A_witness_id_carries_its_fault_and_replays_to_the_same_violation_from_the_id_alone(string name)
        {
            var mutant = Mutants.Find(name)!;
            var verdict = MutationRun.Explore(mutant, Representative(mutant), onlyExpected: true);
            Assert.True(verdict.Outcome == MutantOutcome.Killed, verdict.ToString());
            var output = new StringWriter();
            var error = new StringWriter();
            Assert.Equal(CheckCommand.Found, CheckReplay.Run(verdict.WitnessId!, null, json: false, output, error));
            Assert.Contains("broken: " + verdict.Problem, output.ToString(), System.StringComparison.Ordinal);
            Assert.Contains("with the bug of " + name, output.ToString(), System.StringComparison.Ordinal);

            // The same schedule on the reference as it is: the fault in the id is what breaks it.
            var clean = verdict.WitnessId!.Replace("reference+" + name + ":", "reference:", System.StringComparison.Ordinal);
            Assert.Equal(0, CheckReplay.Run(clean, null, json: false, TextWriter.Null, TextWriter.Null));
        }

        [Fact]
        public void A_replay_id_naming_no_mutant_is_refused_with_a_reason()
        {
            var d = ArchitectureCatalog.Find("arm64")!.Descriptor;
            var id = $"v2:munmap-vs-hw-walker:reference+no-such-bug:{DescriptorId.Encode(d)}:1.0";
            Assert.False(ReplayId.TryParse(id, out _, out var error));
            Assert.Contains("'no-such-bug' is no mutant", error, System.StringComparison.Ordinal);
            Assert.False(ReplayId.TryParse(id.Replace("reference+no-such-bug", "generated+ipi-flush-without-wait", System.StringComparison.Ordinal), out _, out _));
            Assert.True(ReplayId.TryParse(id.Replace("no-such-bug", "ipi-flush-without-wait+table-free-single-user-at-once", System.StringComparison.Ordinal), out var two, out error), error);
            Assert.Equal(Fault.IpiFlushWithoutWait | Fault.TableFreeSingleUserAtOnce, two.Faults);
            Assert.Equal("ipi-flush-without-wait+table-free-single-user-at-once", Mutants.NamesOf(two.Faults));
        }

        [Theory]
        [InlineData("harmless-batch-of-one", "x86-64")]
        [InlineData("harmless-batch-of-one", "arm64")]
        [InlineData("harmless-full-mm-flush", "arm64")]
        [InlineData("harmless-full-mm-flush", "s390x")]
        public void A_harmless_change_is_not_reported(string name, string arch)
        {
            var mutant = Mutants.Find(name)!;
            var d = ArchitectureCatalog.Find(arch)!.Descriptor;
            var small = SearchBounds.Default with { Preemptions = 1, MaxSystematic = 400, Random = 4, Pct = 4 };
            foreach (var scenario in new[] { "munmap-vs-hw-walker", "munmap-vs-gup-fast", "table-batch-oom-vs-hw-walker", "shift-arg-pages-vs-walker" })
            {
                var s = RaceScenarios.Find(scenario)!;
                if (!s.AppliesTo(d)) continue;
                var report = RaceExplorer.Explore(s, d, mutant.Subject, small);
                Assert.True(report.Clean, report.ToString());
                Assert.True(report.Executions > 1, report.ToString());
            }
        }

        [Fact]
        public void A_bug_is_possible_somewhere_in_the_catalog_and_names_scenarios_that_exist()
        {
            foreach (var mutant in Mutants.All)
            {
                foreach (var scenario in mutant.Scenarios) Assert.NotNull(RaceScenarios.Find(scenario));
                if (mutant.Kind == MutantKind.Harmless) continue;
                Assert.Contains(ArchitectureCatalog.All, o => mutant.Possible(o.Descriptor));
                Assert.NotEmpty(mutant.Scenarios);
                if (mutant.Kind == MutantKind.LinuxFix) Assert.Matches("^[0-9a-f]{12}$", mutant.Commit);
            }
            Assert.Equal(Mutants.All.Count, Mutants.All.Select(m => m.Fault).Distinct().Count());
        }

        [Theory]
        [InlineData("mprotect-vs-writer")]
        [InlineData("madvise-free-vs-writer")]
        public void Each_downgrade_alone_catches_a_rewrite_without_flush_at_its_return(string scenario)
        {
            // MutationRun stops at the first scenario that kills a mutant; MADV_FREE must not depend on mprotect's.
            var mutant = Mutants.Find("rewrite-without-flush")!;
            var d = ArchitectureCatalog.Find("x86-64")!.Descriptor;
            var race = RaceScenarios.Find(scenario)!;
            var bounds = new SearchBounds(Preemptions: 1, MaxSystematic: 120, Random: 0, Pct: 0);
            var faulty = RaceExplorer.Explore(race, d, mutant.Subject, bounds);
            Assert.False(faulty.Clean, faulty.ToString());
            Assert.Contains("StaleAfterReturn", faulty.ToString());
            Assert.True(RaceExplorer.Explore(race, d, ArchitectureOps.WithFaults(Fault.None), bounds).Clean);
        }

        [Theory]
        [InlineData("gup-with-irqs-on")]
        [InlineData("split-pte-single-load")]
        [InlineData("split-pte-no-recheck")]
        public void A_fast_gup_bug_inside_the_pte_level_is_possible_on_mips32_xpa_only_with_a_special_bit(string name)
        {
            // mips32 with XPA has no ARCH_HAS_PTE_SPECIAL, so gup_fast_pte_range fails before it reads a PTE: the bug
            // has nothing to break there. Give the same machine the special bit and the explorer catches it.
            var mutant = Mutants.Find(name)!;
            var xpa = ArchitectureCatalog.Find("mips32-xpa")!.Descriptor;
            Assert.False(xpa.PteSpecial);
            Assert.False(mutant.Possible(xpa));
            var special = xpa with { PteSpecial = true };
            Assert.True(mutant.Possible(special));
            var verdict = MutationRun.Explore(mutant, special, onlyExpected: true);
            Assert.True(verdict.Outcome == MutantOutcome.Killed && verdict.Replays && verdict.CleanWithoutFault, verdict.ToString());
        }

        [Fact]
        public void Faults_belong_to_one_run_so_a_clean_exploration_beside_a_faulty_one_stays_clean()
        {
            var d = ArchitectureCatalog.Find("arm64")!.Descriptor;
            var scenario = RaceScenarios.Find("munmap-vs-hw-walker")!;
            var faulty = Mutants.Find("range-flush-ignores-freed-tables")!.Subject;
            ExplorationReport? broken = null, clean = null;
            Parallel.Invoke(
                () => broken = RaceExplorer.Explore(scenario, d, faulty),
                () => clean = RaceExplorer.Explore(scenario, d, ArchitectureOps.Reference));
            Assert.False(broken!.Clean, broken.ToString());
            Assert.True(clean!.Clean, clean.ToString());
            Assert.Same(ArchitectureOps.Reference, ArchitectureOps.WithFaults(Fault.None));
        }
    }
}
