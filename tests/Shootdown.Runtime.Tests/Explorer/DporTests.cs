using System.Collections.Generic;
using System.Linq;
using Shootdown.Archs.Catalog;
using Shootdown.Explorer;
using Shootdown.Simulation;

namespace Shootdown.Runtime.Tests.Explorer
{
    /// <summary>
    /// Partial-order reduction against the plain search it replaces: the same verdicts wherever the plain search
    /// exhausts its bound, witnesses that replay, fewer executions, the same result on every run.
    /// </summary>
    public sealed class DporTests
    {
        // Systematic search only: random and PCT runs would let either search find what the other's systematic part missed.
        private static readonly SearchBounds Bounded = new(Preemptions: 1, MaxSystematic: 4_000, Random: 0, Pct: 0);

        public static IEnumerable<object[]> Architectures() => ArchitectureCatalog.Names.Select(n => new object[] { n });

        [Theory]
        [MemberData(nameof(Architectures))]
        public void Dpor_and_the_exhaustive_search_agree_on_every_scenario_of_a_catalog_architecture(string arch)
        {
            var ops = ArchitectureCatalog.Find(arch)!;
            var compared = 0;
            foreach (var scenario in RaceScenarios.All.Where(s => s.AppliesTo(ops.Descriptor)))
            {
                var dfs = RaceExplorer.Explore(scenario, ops.Descriptor, ops, Bounded with { Search = SearchMode.ExhaustiveDfs });
                if (!dfs.Exhausted) continue;
                var dpor = RaceExplorer.Explore(scenario, ops.Descriptor, ops, Bounded);
                Assert.True(dpor.Exhausted, $"{dpor}: DPOR did not exhaust a bound the plain search exhausted in {dfs.Systematic} executions");
                Assert.Equal(dfs.Verdict.Kind, dpor.Verdict.Kind);
                Assert.True(dpor.Systematic <= dfs.Systematic, $"{scenario.Name}: DPOR took {dpor.Systematic} executions, the plain search {dfs.Systematic}");
                compared++;
            }
            Assert.True(compared >= 3, $"{arch}: only {compared} scenarios compared");
        }

        [Fact]
        public void Dpor_and_the_exhaustive_search_agree_on_a_seeded_sample_of_the_descriptor_space()
        {
            var valid = DescriptorSpace.Valid();
            var sample = new List<ArchDescriptor>();
            var random = new System.Random(20261207);
            foreach (var d in valid)
            {
                if (random.Next(valid.Count) < 320) sample.Add(d);
            }
            Assert.True(sample.Count >= 300, $"only {sample.Count} descriptors sampled");
            var verdict = SearchBounds.Verdict with { Random = 0, Pct = 0 };
            var dfs = Agreement.Run(sample, verdict with { Search = SearchMode.ExhaustiveDfs });
            var dpor = Agreement.Run(sample, verdict);
            var found = 0;
            for (var i = 0; i < sample.Count; i++)
            {
                var a = dfs.Verdicts[i];
                var b = dpor.Verdicts[i];
                Assert.Equal(a.Descriptor, b.Descriptor);
                Assert.Null(b.Error);
                if (!a.Exhausted && !a.Found) continue;
                Assert.True(a.Found == b.Found, $"{a.Descriptor.Name}: exhaustive-dfs {(a.Found ? "found " + a.WitnessId : "found nothing")}, dpor {(b.Found ? "found " + b.WitnessId : "found nothing")}");
                if (b.WitnessId is null) continue;
                found++;
                Assert.True(ReplayId.TryParse(b.WitnessId, out var id, out var error), error);
                var scenario = RaceScenarios.Find(id.Scenario)!;
                var replay = RaceExplorer.Replay(scenario, b.Descriptor, ArchitectureOps.Reference, id.Schedule);
                Assert.True(replay.IsViolation, $"{b.WitnessId} does not replay to a violation: {replay.Run}");
            }
            Assert.True(found > 50, $"only {found} witnesses compared");
            Assert.True(dpor.Executions < dfs.Executions, $"dpor ran {dpor.Executions} executions, exhaustive-dfs {dfs.Executions}");
        }

        [Fact]
        public void Unbounded_dpor_proves_a_scenario_with_sleep_sets_in_fewer_executions_than_the_bounded_plain_search()
        {
            var ops = ArchitectureCatalog.Find("x86-64")!;
            var scenario = RaceScenarios.Find("wide-pte-update-vs-gup-fast")!;
            var unbounded = RaceExplorer.Explore(scenario, ops.Descriptor, ops, new SearchBounds(MaxSystematic: 20_000, Random: 0, Pct: 0, Unbounded: true));
            var dfs = RaceExplorer.Explore(scenario, ops.Descriptor, ops, new SearchBounds(Preemptions: 2, Random: 0, Pct: 0, Search: SearchMode.ExhaustiveDfs));
            Assert.True(unbounded.Exhausted, unbounded.ToString());
            Assert.Equal(VerdictKind.Proved, unbounded.Verdict.Kind);
            Assert.Contains("every interleaving", unbounded.Verdict.Sentence);
            Assert.Contains("no preemption bound", unbounded.Verdict.Sentence);
            Assert.True(unbounded.Pruned + unbounded.SleepSkips > 0, $"sleep sets never pruned: {unbounded}");
            Assert.True(unbounded.Systematic < dfs.Systematic, $"unbounded dpor {unbounded.Systematic}, bounded dfs {dfs.Systematic}");
        }

        [Fact]
        public void Dpor_finds_the_race_of_an_unsafe_descriptor_without_random_help_and_the_witness_replays()
        {
            var unsafeOne = DescriptorSpace.Valid().First(d => DescriptorRules.Check(d).Any(f => f.Id == "SHD002"));
            var scenario = RaceScenarios.Find("munmap-vs-gup-fast")!;
            var report = RaceExplorer.Explore(scenario, unsafeOne, ArchitectureOps.Reference, Bounded);
            Assert.Equal(VerdictKind.Violation, report.Verdict.Kind);
            var replay = RaceExplorer.Replay(scenario, unsafeOne, ArchitectureOps.Reference, report.WitnessSchedule!);
            Assert.True(replay.IsViolation, replay.Run.ToString());
            Assert.Equal(report.Witness!.FirstProblem, replay.FirstProblem);
        }

        [Fact]
        public void Dpor_gives_the_same_report_on_every_run()
        {
            var ops = ArchitectureCatalog.Find("arm64")!;
            var scenario = RaceScenarios.Find("munmap-vs-hw-walker")!;
            var a = RaceExplorer.Explore(scenario, ops.Descriptor, ops, Bounded);
            var b = RaceExplorer.Explore(scenario, ops.Descriptor, ops, Bounded);
            Assert.Equal(a.Systematic, b.Systematic);
            Assert.Equal(a.Pruned, b.Pruned);
            Assert.Equal(a.Verdict, b.Verdict);
        }

        [Fact]
        public void The_dependency_relation_is_overlap_and_a_write()
        {
            var entry = SharedObject.Entry(7, 3);
            Assert.True(SharedObject.Overlap(entry, entry));
            Assert.False(SharedObject.Overlap(entry, SharedObject.Entry(7, 4)));
            Assert.False(SharedObject.Overlap(entry, SharedObject.Frame(7)));
            Assert.True(SharedObject.Overlap(entry, SharedObject.AllMemory));
            Assert.True(SharedObject.Overlap(SharedObject.Frame(9), SharedObject.AllMemory));
            Assert.False(SharedObject.Overlap(SharedObject.Tlb(1), SharedObject.AllMemory));
            Assert.True(SharedObject.Overlap(SharedObject.Tlb(1), SharedObject.Everything));
            Assert.False(SharedObject.Conflict(new[] { entry }, new[] { false }, new[] { entry }, new[] { false }));
            Assert.True(SharedObject.Conflict(new[] { entry }, new[] { true }, new[] { entry }, new[] { false }));
            Assert.True(SharedObject.Conflict(new[] { SharedObject.Rcu }, new[] { false }, new[] { SharedObject.Everything }, new[] { true }));
        }

        [Fact]
        public void A_preemption_is_a_switch_away_from_the_cpu_chosen_at_the_previous_decision_while_it_can_move()
        {
            var path = new[] { new Decision(0, new[] { 0, 1 }), new Decision(1, new[] { 0, 1 }), new Decision(0, new[] { 0 , 2 }) };
            Assert.False(Decision.Preempts(path, 0, 1)); // the first decision preempts nobody
            Assert.True(Decision.Preempts(path, 1, 1));  // cpu0 could go on
            Assert.False(Decision.Preempts(path, 1, 0));
            Assert.False(Decision.Preempts(path, 2, 0)); // cpu1 cannot move here: switching costs nothing
            Assert.False(Decision.Preempts(path, 2, 2));
        }
    }
}
