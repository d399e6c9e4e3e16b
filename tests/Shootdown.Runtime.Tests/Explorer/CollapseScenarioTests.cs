using System.Collections.Generic;
using System.Linq;
using Shootdown.Archs.Catalog;
using Shootdown.Explorer;
using Shootdown.Kernel;
using Shootdown.Simulation;
using Xunit;

namespace Shootdown.Runtime.Tests.Explorer
{
    /// <summary>
    /// khugepaged-vs-gup-fast reaches its race on every catalog architecture with fast GUP: the collapse really swaps the
    /// PMD for a huge one (it once failed its folio allocation on every run and the scenario passed without a race).
    /// </summary>
    public sealed class CollapseScenarioTests
    {
        public static IEnumerable<object[]> FastGupArchitectures() =>
            ArchitectureCatalog.All.Where(o => o.Descriptor.FastGup).Select(o => new object[] { o.Name });

        [Theory]
        [MemberData(nameof(FastGupArchitectures))]
        public void The_collapse_installs_a_huge_pmd_in_every_execution_explored(string arch)
        {
            var ops = ArchitectureCatalog.Find(arch)!;
            var scenario = RaceScenarios.Find("khugepaged-vs-gup-fast")!;
            var report = RaceExplorer.Explore(scenario, ops.Descriptor, ops, new SearchBounds(Preemptions: 1, MaxSystematic: 60, Random: 2, Pct: 1));
            Assert.True(report.Errors == 0, $"{arch}: {report.FirstError?.FirstProblem}");
            Assert.Null(report.Witness);
        }

        [Theory]
        [MemberData(nameof(FastGupArchitectures))]
        public void The_default_schedule_maps_the_range_with_one_huge_page(string arch)
        {
            var ops = ArchitectureCatalog.Find(arch)!;
            var prep = RaceScenarios.Find("khugepaged-vs-gup-fast")!.Prepare(ops.Descriptor, ops);
            var run = prep.Machine.Run(prep.Scenario, new RunOptions());
            Assert.Equal(RunOutcome.Completed, run.Outcome);
            var mm = prep.LiveMms().Single();
            var cpu = prep.Machine.Cpu(1);
            cpu.Tlb.FlushAll();
            Assert.Equal(AccessResult.Ok, prep.Machine.Mmu.Access(cpu, mm, ScenarioSetup.Target(prep.Machine)));
            Assert.True(cpu.Tlb.TryLookup(mm.Id, ScenarioSetup.Target(prep.Machine), out var entry));
            Assert.True(entry.Size == ScenarioSetup.PmdSize(prep.Machine), $"{arch}: the target is mapped by {entry.Size:x} bytes after the collapse, not a huge page");
        }

        [Fact]
        public void Freeing_the_old_pte_table_at_once_is_caught_where_the_flush_waits_for_nobody()
        {
            // The bug 2ba99c5e0881 and 70cbc3cc78a9 fixed: after pmdp_collapse_flush the PTE table was freed while fast
            // GUP, interrupts off, could still be inside it. A broadcast flush interrupts nobody, so arm64 shows it.
            var arm64 = ArchitectureCatalog.Find("arm64")!;
            var broken = new Shootdown.Explorer.Scenarios.KhugepagedVsGupFast(CollapseTableFree.FreeWithoutSync);
            var report = RaceExplorer.Explore(broken, arm64.Descriptor, arm64, new SearchBounds(Preemptions: 2, MaxSystematic: 2000, Random: 0, Pct: 0, StopAtFirst: true));
            Assert.True(report.Witness != null, $"no witness in {report.Systematic} executions");
            var again = RaceExplorer.Replay(broken, arm64.Descriptor, arm64, report.WitnessSchedule!);
            Assert.True(again.IsViolation, "the witness does not replay to a violation");

            // x86-64 flushes by IPI, which cannot complete while the walker has interrupts off: the same code is safe there.
            var x86 = ArchitectureCatalog.Find("x86-64")!;
            var safe = RaceExplorer.Explore(broken, x86.Descriptor, x86, new SearchBounds(Preemptions: 1, MaxSystematic: 300, Random: 0, Pct: 0));
            Assert.Null(safe.Witness);
            Assert.Equal(0, safe.Errors);
        }
    }
}
