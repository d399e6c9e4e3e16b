using System.Linq;
using Shootdown.Archs.Catalog;
using Shootdown.Explorer;
using Shootdown.Simulation;

namespace Shootdown.Runtime.Tests.Explorer
{
    /// <summary>
    /// The table-batch failure scenario explored in every era whose <c>tlb_remove_table_one</c> differs from the
    /// descriptor's own (<see cref="LinuxEras.RemoveTableOne"/>), with the reference, under an id naming the era.
    /// </summary>
    public sealed class EraScenarioTests
    {
        private static string[] EraVariants(string arch) =>
            RaceScenarios.All.Where(s => s.Era != null && s.AppliesTo(ArchitectureCatalog.Find(arch)!.Descriptor)).Select(s => s.Name).OrderBy(n => n).ToArray();

        [Fact]
        public void A_stable_kernel_is_also_explored_with_the_v6_1_path_and_not_again_with_the_same_path()
        {
            // x86-64 (Stable, PT_RECLAIM): call_rcu; v6.1 syncs by IPI; linux-next also goes through call_rcu.
            Assert.Equal(new[] { "table-batch-oom-vs-hw-walker-era-v6_1", "table-batch-oom-vs-sw-walker-era-v6_1" }, EraVariants("x86-64"));
            // s390x-2k (V6_1): the stable path (call_rcu) once; linux-next has the same path, so it is not explored twice.
            Assert.Equal(new[] { "table-batch-oom-vs-hw-walker-era-stable", "table-batch-oom-vs-sw-walker-era-stable" }, EraVariants("s390x-2k"));
            // sparc64 (Stable, HAVE_ARCH_TLB_REMOVE_TABLE, IPI, no table invalidate, no hardware walker): grace period;
            // v6.1 syncs by IPI; linux-next skips the sync only where the table invalidate is kept, so it waits too.
            Assert.Equal(new[] { "table-batch-oom-vs-sw-walker-era-v6_1" }, EraVariants("sparc64"));
        }

        [Fact]
        public void Without_rcu_table_freeing_every_era_frees_at_once_and_nothing_more_is_explored()
        {
            var d = ArchitectureCatalog.Find("x86-64")!.Descriptor with { Options = GatherOptions.TableFree };
            Assert.DoesNotContain(RaceScenarios.All, s => s.Era != null && s.AppliesTo(d));
        }

        [Fact]
        public void An_era_variant_runs_the_reference_and_its_witness_id_names_the_era()
        {
            var ops = ArchitectureCatalog.Find("x86-64")!;
            var scenario = RaceScenarios.Find("table-batch-oom-vs-sw-walker-era-v6_1")!;
            Assert.False(RaceCheck.Explores(scenario, ops.Descriptor, ops));
            Assert.True(RaceCheck.Explores(scenario, ops.Descriptor, ArchitectureOps.Reference));
            var report = RaceExplorer.Explore(scenario, ops.Descriptor, ops, new SearchBounds(Preemptions: 1, MaxSystematic: 200, Random: 0, Pct: 0));
            Assert.False(report.Subject.IsGenerated);
            Assert.True(report.Clean, report.ToString());
            // With tlb_remove_table_one freeing without its sync on a broadcast machine, the variant finds the race.
            var broken = RaceExplorer.Explore(scenario, ops.Descriptor with { Invalidation = Invalidation.HardwareBroadcast },
                ArchitectureOps.WithFaults(Fault.TableOneWithoutSync), SearchBounds.Verdict);
            Assert.False(broken.Clean, broken.ToString());
            Assert.StartsWith("v2:table-batch-oom-vs-sw-walker-era-v6_1:reference", broken.WitnessId, System.StringComparison.Ordinal);
        }
    }
}
