using Shootdown.Archs.Catalog;
using Shootdown.Explorer;
using Shootdown.Simulation;

namespace Shootdown.Runtime.Tests.MachineTests
{
    /// <summary>
    /// GUP linearizability (Machine/GupAudit.cs): a page GUP returns was mapped at its address at an instant the call
    /// held a reference on it, whatever the code under test did.
    /// </summary>
    public class GupAuditTests
    {
        private const ulong Address = 0x4020_0000;

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void A_page_referenced_but_never_seen_mapped_at_its_address_is_a_violation(bool mappedThere)
        {
            var m = new Machine(Machines.BroadcastArm, cpus: 1, frames: 256);
            var mm = m.CreateMm()!;
            var cpu = m.Cpu(0);
            cpu.SwitchTo(mm);
            var elsewhere = Machines.MapPage(m, mm, Address + 4096); // the reused frame: mapped at the next page
            var page = mappedThere ? Machines.MapPage(m, mm, Address) : elsewhere;
            m.GupAudit.Enter(cpu, mm, Address, 1);
            Assert.True(m.Memory.TryGet(page)); // try_grab_folio_fast on what a stale PTE value named
            m.GupAudit.Return(cpu, new[] { page });
            if (mappedThere)
            {
                Assert.True(m.Violations.IsEmpty, string.Join("; ", m.Violations.All));
                return;
            }
            Assert.Equal(ViolationKind.GupNotLinearizable, Assert.Single(m.Violations.All).Kind);
        }

        [Fact]
        public void A_page_seen_mapped_while_referenced_and_unmapped_before_return_is_fine()
        {
            // munmap racing with a correct GUP: the re-check saw the page mapped, the unmap came after.
            var m = new Machine(Machines.BroadcastArm, cpus: 1, frames: 256);
            var mm = m.CreateMm()!;
            var cpu = m.Cpu(0);
            cpu.SwitchTo(mm);
            var page = Machines.MapPage(m, mm, Address);
            var pte = Machines.PteTable(m, mm, Address);
            m.GupAudit.Enter(cpu, mm, Address, 1);
            Assert.True(m.Memory.TryGet(page));
            PageTables.Read(m, pte, 0, m.Geometry.Index(0, Address)); // the re-check
            PageTables.Clear(m, pte, 0, m.Geometry.Index(0, Address));
            m.GupAudit.Return(cpu, new[] { page });
            Assert.True(m.Violations.IsEmpty, string.Join("; ", m.Violations.All));
        }

        [Theory]
        [InlineData("arm64", true)]
        [InlineData("powerpc64-radix", true)]
        [InlineData("x86-64", false)]
        public void Fast_gup_without_its_pte_recheck_is_caught(string arch, bool reuse)
        {
            // With broadcast invalidation the frame is freed and mapped again under the walker (the ABA); with an IPI the
            // free waits for the walker, but a grab of the zapped page before the flush is still a pin of a page no
            // longer mapped there.
            var d = ArchitectureCatalog.Find(arch)!.Descriptor;
            var scenario = RaceScenarios.Find("page-reuse-vs-gup-fast")!;
            Assert.Equal(reuse, scenario.WindowAppliesTo(d));
            var bounds = new SearchBounds(Preemptions: 2, MaxSystematic: 5_000, Random: 0, Pct: 0, StopAtFirst: true);
            var broken = RaceExplorer.Explore(scenario, d, ArchitectureOps.WithFaults(Fault.GupSkipsPteRecheck), bounds);
            Assert.Equal(0, broken.Errors);
            Assert.NotNull(broken.Witness);
            Assert.Contains(broken.Witness!.Violations, v => v.Kind == ViolationKind.GupNotLinearizable);
            Assert.True(RaceExplorer.Replay(scenario, d, ArchitectureOps.Reference, broken.WitnessSchedule!).Violations.Count == 0,
                "the schedule that breaks the mutant must be clean with the re-check");
            Assert.True(RaceExplorer.Explore(scenario, d, ArchitectureOps.Reference, bounds with { StopAtFirst = false }).Clean);
        }
    }
}
