using System.Collections.Generic;
using Shootdown.Simulation;

namespace Shootdown.Explorer.Scenarios
{
    /// <summary>
    /// mprotect of a written page to read-only on cpu0 while cpu1 keeps storing to it through a writable TLB entry. Once
    /// mprotect returns, user space may rely on the page being read-only everywhere (a write barrier for a garbage
    /// collector, a sealed buffer): no CPU may still write through an entry cached before the call (<c>do_mprotect_pkey</c>,
    /// whose <c>tlb_finish_mmu</c> flushes what <c>change_pte_range</c> recorded with <c>tlb_flush_pte_range</c>; one
    /// gather since 4a18419f71cd, "mm/mprotect: use mmu_gather"). The machine checks that at the return
    /// (<see cref="ReturnGuarantee"/>, <see cref="ReturnPromise.NoWrite"/>) and at every later store.
    /// </summary>
    public sealed class MprotectVsWriter : RaceScenario
    {
        /// <summary>The scenario.</summary>
        public MprotectVsWriter() : base("mprotect-vs-writer", "mprotect to read-only vs a CPU storing through its TLB", "mprotect", "writer") { }

        /// <inheritdoc/>
        public override bool AppliesTo(ArchDescriptor d) => true;

        /// <inheritdoc/>
        public override ArchDescriptor Project(ArchDescriptor d) => Projection.WithoutRefill(Projection.WithoutGup(d));

        /// <inheritdoc/>
        public override string Window => "the writer stored through its writable TLB entry after mprotect had cleared the PTE and before tlb_finish_mmu flushed it";

        /// <inheritdoc/>
        /// <remarks>s390's IPTE invalidates the entry on every CPU as the PTE is cleared, before the gather ends.</remarks>
        public override bool WindowAppliesTo(ArchDescriptor d) => AppliesTo(d) && !d.SynchronousOnClear;

        /// <inheritdoc/>
        public override RacePreparation Prepare(ArchDescriptor d, ArchitectureOps subject)
        {
            var (m, mm) = ScenarioSetup.Boot(d, 2);
            var target = ScenarioSetup.Target(m);
            ScenarioSetup.MapAndFault(m, mm, target, (ulong)m.Geometry.PageSize, 1);
            m.Mmu.Access(m.Cpu(1), mm, target, write: true); // the store that caches a writable entry
            // The window: a store that succeeds between ptep_modify_prot_start on cpu0 and the end of its gather can only
            // have gone through the entry cpu1 cached before the call (a walk would find the PTE cleared or read-only).
            bool cleared = false, finished = false, window = false;
            m.Trace.Watch(e =>
            {
                if (e.Cpu != 0) return;
                if (e.Kind == EventKind.EntryCleared && e.A == target && e.B == 0) cleared = true;
                else if (e.Kind == EventKind.GatherFinish) finished = true;
            });
            var result = int.MinValue;
            var scenario = new Scenario()
                .On(0, cpu => result = subject.Mprotect(cpu, mm, target, (ulong)m.Geometry.PageSize, VmaFlags.None))
                .On(1, cpu =>
                {
                    for (var store = 0; store < 2; store++)
                    {
                        if (m.Mmu.Access(cpu, mm, target, write: true) == AccessResult.Ok && cleared && !finished) window = true;
                    }
                });
            IEnumerable<string> Check()
            {
                if (result != 0) yield return $"mprotect of {target:x} returned {result}, not 0: the scenario did not run";
            }
            return new RacePreparation(m, scenario, () => new[] { mm }, check: Check, windowReached: () => window);
        }
    }
}
