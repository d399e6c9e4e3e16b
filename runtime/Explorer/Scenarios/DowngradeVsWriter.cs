using System.Collections.Generic;
using Shootdown.Simulation;

namespace Shootdown.Explorer.Scenarios
{
    /// <summary>The call that takes away the right to write through an entry cached before it.</summary>
    public enum Downgrade
    {
        /// <summary>
        /// mprotect to read-only (<c>do_mprotect_pkey</c>, one gather since 4a18419f71cd, "mm/mprotect: use mmu_gather"):
        /// user space may rely on the page being read-only everywhere once it returns (a write barrier for a garbage
        /// collector, a sealed buffer).
        /// </summary>
        Mprotect,

        /// <summary>
        /// MADV_FREE (<c>madvise_free_pte_range</c>): the PTE is cleaned, so a later write must walk and dirty it again, or
        /// reclaim drops the data as never written.
        /// </summary>
        Free,
    }

    /// <summary>
    /// A downgrade of a written page on cpu0 while cpu1 keeps storing to it through the writable TLB entry it cached
    /// before the call. Once the call returns no CPU may still write through such an entry: <c>tlb_finish_mmu</c> flushes
    /// what <c>change_pte_range</c> or <c>madvise_free_pte_range</c> recorded with <c>tlb_flush_pte_range</c> /
    /// <c>tlb_remove_tlb_entry</c>. The machine checks that at the return (<see cref="ReturnGuarantee"/>,
    /// <see cref="ReturnPromise.NoWrite"/>) and at every later store.
    /// </summary>
    public sealed class DowngradeVsWriter : RaceScenario
    {
        private readonly Downgrade _call;

        /// <summary>The scenario for <paramref name="call"/>.</summary>
        public DowngradeVsWriter(Downgrade call)
            : base(call == Downgrade.Mprotect ? "mprotect-vs-writer" : "madvise-free-vs-writer",
                call == Downgrade.Mprotect ? "mprotect to read-only vs a CPU storing through its TLB" : "MADV_FREE vs a CPU storing through its TLB",
                call == Downgrade.Mprotect ? "mprotect" : "madvise", "writer")
        {
            _call = call;
        }

        /// <inheritdoc/>
        public override bool AppliesTo(ArchDescriptor d) => true;

        /// <inheritdoc/>
        public override ArchDescriptor Project(ArchDescriptor d) => Projection.WithoutRefill(Projection.WithoutGup(d));

        /// <inheritdoc/>
        public override string Window => "the writer stored through its writable TLB entry after the call had cleared the PTE (ptep_modify_prot_start, ptep_get_and_clear) and before tlb_finish_mmu flushed it";

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
            // The window: a store that succeeds between the PTE clear on cpu0 and the end of its gather can only
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
                .On(0, cpu => result = _call == Downgrade.Mprotect
                    ? subject.Mprotect(cpu, mm, target, (ulong)m.Geometry.PageSize, VmaFlags.None)
                    : subject.Free(cpu, mm, target, (ulong)m.Geometry.PageSize))
                .On(1, cpu =>
                {
                    for (var store = 0; store < 2; store++)
                    {
                        if (m.Mmu.Access(cpu, mm, target, write: true) == AccessResult.Ok && cleared && !finished) window = true;
                    }
                });
            IEnumerable<string> Check()
            {
                if (result != 0) yield return $"{(_call == Downgrade.Mprotect ? "mprotect" : "MADV_FREE")} of {target:x} returned {result}, not 0: the scenario did not run";
            }
            return new RacePreparation(m, scenario, () => new[] { mm }, check: Check, windowReached: () => window);
        }
    }
}
