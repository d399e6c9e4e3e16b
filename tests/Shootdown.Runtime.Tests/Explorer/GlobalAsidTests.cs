using System.Linq;
using Shootdown.Archs.Catalog;
using Shootdown.Explorer;
using Shootdown.Simulation;

namespace Shootdown.Runtime.Tests.Explorer
{
    /// <summary>
    /// x86 INVLPGB per mm (arch/x86/mm/tlb.c <c>flush_tlb_mm_range</c>): an mm with a global ASID is flushed by broadcast,
    /// the others by IPI, in one machine; fast GUP stays safe only because x86 frees page tables by RCU.
    /// </summary>
    public sealed class GlobalAsidTests
    {
        private const ulong Base = 1UL << 30;
        private static readonly SearchBounds Bounds = new(Preemptions: 1, MaxSystematic: 2000, Random: 4, Pct: 2);

        private static ArchDescriptor Invlpgb => ArchitectureCatalog.Find("x86-64-invlpgb")!.Descriptor;

        // munmap of 4 pages in a fresh mm that both CPUs run; the flush events the initiator's gather issued.
        private static (string[] Trace, EventKind[] Flushes) Munmap(ArchitectureOps arch, bool globalAsid)
        {
            var m = new Machine(Invlpgb, 2, 1024);
            var mm = m.CreateMm()!;
            m.Cpu(0).SwitchTo(mm);
            m.Cpu(1).SwitchTo(mm);
            mm.GlobalAsid = globalAsid;
            var length = 4UL * (ulong)m.Geometry.PageSize;
            AddressSpace.Mmap(m, mm, Base, length, VmaFlags.Write);
            Assert.True(AddressSpace.Populate(m.Cpu(0), mm, Base, Base + length));
            Assert.Equal(AccessResult.Ok, m.Mmu.Access(m.Cpu(1), mm, Base));
            m.Trace.Enabled = true;
            arch.Munmap(m.Cpu(0), mm, Base, length);
            m.Rcu.Quiesce();
            Assert.True(m.Violations.IsEmpty, string.Join("\n", m.Violations.All));
            Assert.False(m.Cpu(1).Tlb.TryLookup(mm.Id, Base, out _));
            var trace = m.Trace.Snapshot();
            var flushes = trace.Where(e => e.Kind is EventKind.BroadcastFlush or EventKind.IpiFlush).Select(e => e.Kind).ToArray();
            return (trace.Select(e => e.ToString()).ToArray(), flushes);
        }

        [Theory]
        [InlineData(true, EventKind.BroadcastFlush)]
        [InlineData(false, EventKind.IpiFlush)]
        public void The_generated_gather_broadcasts_for_an_mm_with_a_global_asid_and_sends_ipis_otherwise(bool globalAsid, EventKind expected)
        {
            var generated = Munmap(ArchitectureCatalog.Find("x86-64-invlpgb")!, globalAsid);
            var reference = Munmap(ArchitectureOps.Reference, globalAsid);
            Assert.Equal(reference.Trace, generated.Trace);
            Assert.NotEmpty(generated.Flushes);
            Assert.All(generated.Flushes, kind => Assert.Equal(expected, kind));
        }

        [Fact]
        public void The_catalog_class_is_clean_on_the_mixed_system()
        {
            var scenario = RaceScenarios.Find("munmap-global-asid-vs-gup-fast")!;
            Assert.True(scenario.AppliesTo(Invlpgb));
            Assert.False(scenario.AppliesTo(ArchitectureCatalog.Find("x86-64")!.Descriptor));
            foreach (var subject in new[] { ArchitectureOps.Reference, ArchitectureCatalog.Find("x86-64-invlpgb")! })
            {
                var report = RaceExplorer.Explore(scenario, Invlpgb, subject, Bounds);
                Assert.True(report.Clean, report.ToString());
            }
        }

        [Fact]
        public void Without_rcu_table_freeing_the_broadcast_mm_loses_its_pte_table_under_fast_gup_and_the_ipi_only_class_does_not()
        {
            var unsafeClass = Invlpgb with { Name = "x86-64-invlpgb-no-rcu", Options = GatherOptions.TableFree | GatherOptions.MergeVmas };
            Assert.Equal(new[] { DescriptorRules.SoftwareWalkerWithoutRcu }, DescriptorRules.Check(unsafeClass).Where(f => f.Rule.IsRace).Select(f => f.Id));
            var scenario = RaceScenarios.Find("munmap-global-asid-vs-gup-fast")!;
            var report = RaceExplorer.Explore(scenario, unsafeClass, ArchitectureOps.Reference, Bounds);
            Assert.NotNull(report.Witness);
            Assert.Equal(ViolationKind.ReadFreedTable, report.Witness!.Violations[0].Kind);
            Assert.Contains("munmap-global-asid-vs-gup-fast", report.WitnessId, System.StringComparison.Ordinal);
            var replay = RaceExplorer.Replay(scenario, unsafeClass, ArchitectureOps.Reference, report.WitnessSchedule!);
            Assert.True(replay.IsViolation);

            // The same class without INVLPGB: every flush is an IPI the walker holds off, so the same munmap vs fast GUP
            // on an mm that (for INVLPGB) would have had a global ASID breaks nothing.
            var ipiOnly = unsafeClass with { GlobalAsidBroadcast = false };
            Assert.DoesNotContain(DescriptorRules.Check(ipiOnly), f => f.Rule.IsRace);
            Assert.True(RaceExplorer.Explore(RaceScenarios.Find("munmap-vs-gup-fast")!, ipiOnly, ArchitectureOps.Reference, Bounds).Clean);
        }

        [Theory]
        [InlineData(Invalidation.HardwareBroadcast, LinuxEra.Stable)]
        [InlineData(Invalidation.Ipi, LinuxEra.V6_1)]
        public void Global_asid_broadcast_is_refused_beside_broadcast_invalidation_and_before_v6_15(Invalidation mode, LinuxEra era)
        {
            var d = Invlpgb with { Invalidation = mode, Linux = era };
            var finding = Assert.Single(DescriptorRules.Check(d), f => f.Slot == DescriptorSlot.GlobalAsidBroadcast);
            Assert.Equal(DescriptorRules.BadArgument, finding.Id);
        }
    }
}
