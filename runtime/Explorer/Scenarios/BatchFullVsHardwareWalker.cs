using System.Collections.Generic;
using Shootdown.Simulation;

namespace Shootdown.Explorer.Scenarios
{
    /// <summary>
    /// munmap of more pages than the gather's on-stack bundle holds while no batch page can be allocated
    /// (<c>tlb_next_batch</c>'s <c>__get_free_page(GFP_NOWAIT)</c> fails), so <c>__tlb_remove_page_size</c> reports the
    /// batch full and zap flushes in the middle of the unmap (<c>tlb_flush_mmu</c>: invalidate, then
    /// <c>tlb_batch_pages_flush</c>), against a CPU whose TLB still maps the first page. The mid-unmap flush is the path
    /// a long unmap takes once MAX_GATHER_BATCH_COUNT batches are full as well; here it opens after
    /// MMU_GATHER_BUNDLE pages, so the scenario stays small.
    /// </summary>
    public sealed class BatchFullVsHardwareWalker : RaceScenario
    {
        /// <summary>The scenario.</summary>
        public BatchFullVsHardwareWalker() : base("munmap-batch-full-vs-hw-walker", "munmap that flushes mid-unmap (batch full, no batch page) vs a TLB user", "munmap (batch full)", "mmu") { }

        /// <inheritdoc/>
        /// <remarks>With MMU_GATHER_NO_GATHER there is no page batch to fill: every page goes at its clear.</remarks>
        public override bool AppliesTo(ArchDescriptor d) => !d.Has(GatherOptions.NoGather);

        /// <inheritdoc/>
        public override ArchDescriptor Project(ArchDescriptor d) => Projection.WithoutRefill(Projection.WithoutGup(d));

        /// <inheritdoc/>
        public override string Window => "the gather flushed and freed pages in the middle of the unmap, then cleared more entries";

        /// <summary>Pages unmapped: one more than the bundle, so the batch fills before the last page.</summary>
        public static int Pages => GatherGeometry.Bundle + 1;

        /// <inheritdoc/>
        public override RacePreparation Prepare(ArchDescriptor d, ArchitectureOps subject)
        {
            var (m, mm) = ScenarioSetup.Boot(d, 2);
            var page = (ulong)m.Geometry.PageSize;
            ScenarioSetup.MapAndFault(m, mm, ScenarioSetup.Target(m), (ulong)Pages * page, Pages);
            foreach (var cpu in m.Cpus) m.Mmu.Access(cpu, mm, ScenarioSetup.Target(m));
            m.Memory.FailNext(FrameUse.GatherBatch, 64); // no mmu_gather_batch page: the bundle is all there is
            var window = new MidUnmapFlush(m, initiator: 0);
            var scenario = new Scenario()
                .On(0, cpu => subject.Munmap(cpu, mm, ScenarioSetup.Target(m), (ulong)Pages * page))
                .On(1, cpu =>
                {
                    m.Mmu.Access(cpu, mm, ScenarioSetup.Target(m));
                    m.Mmu.Access(cpu, mm, ScenarioSetup.Target(m));
                });
            return new RacePreparation(m, scenario, () => new[] { mm }, windowReached: () => window.Reached);
        }

        // A page freed by the initiator, then another entry cleared by it: the gather flushed before the unmap was done.
        private sealed class MidUnmapFlush
        {
            private bool _freed;

            public MidUnmapFlush(Machine m, int initiator)
            {
                m.Trace.Watch(e =>
                {
                    if (e.Cpu != initiator) return;
                    if (e.Kind == EventKind.PageFreed) _freed = true;
                    else if (e.Kind == EventKind.EntryCleared && _freed) Reached = true;
                });
            }

            public bool Reached { get; private set; }
        }
    }
}
