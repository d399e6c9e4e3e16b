using Shootdown.Simulation;

namespace Shootdown.Explorer.Scenarios
{
    /// <summary>
    /// The ABA of fast GUP: cpu1's <c>gup_fast_pte_range</c> reads the PTE of the target page; cpu0 zaps it
    /// (<c>MADV_DONTNEED</c>), the page goes back to the allocator, and a fault of the next page gets the same frame
    /// and maps it there. cpu1's <c>try_grab_folio_fast</c> then succeeds on a live frame that is no longer the target's
    /// page; only the re-check of the PTE after the grab (mm/gup.c <c>gup_fast_pte_range</c>: <c>pte_val(pte) !=
    /// pte_val(ptep_get(ptep))</c>, then <c>gup_put_folio</c>) keeps it from being returned. With an IPI flush the zap
    /// cannot free the page while the walker has interrupts off, so the reuse window opens only with broadcast
    /// invalidation; everywhere a grab between the zap's clear and its free pins a page no longer mapped there.
    /// </summary>
    public sealed class PageReuseVsGupFast : RaceScenario
    {
        /// <summary>The scenario.</summary>
        public PageReuseVsGupFast()
            : base("page-reuse-vs-gup-fast", "MADV_DONTNEED and a fault reuse a frame under get_user_pages_fast (ABA)", "madvise+fault", "gup_fast")
        {
        }

        /// <inheritdoc/>
        public override bool AppliesTo(ArchDescriptor d) => d.FastGup && d.PteSpecial; // gup_fast_pte_range is a stub otherwise

        /// <inheritdoc/>
        public override bool WindowAppliesTo(ArchDescriptor d) => AppliesTo(d) && d.Invalidation != Invalidation.Ipi;

        /// <inheritdoc/>
        public override ArchDescriptor Project(ArchDescriptor d) => Projection.WithoutRefill(Projection.WithoutWalker(Projection.ReadIfObservable(d)));

        /// <inheritdoc/>
        public override string Window => "the target's frame was freed and mapped again at the next page while gup_fast was inside the target's PTE table";

        /// <inheritdoc/>
        public override int MinimumPreemptions => 1;

        /// <inheritdoc/>
        public override RacePreparation Prepare(ArchDescriptor d, ArchitectureOps subject)
        {
            var (m, mm) = ScenarioSetup.Boot(d, 2);
            var page = (ulong)m.Geometry.PageSize;
            var next = ScenarioSetup.Target(m) + page;
            // Two pages of VMA, only the first faulted in: the second page's fault needs no table, only a frame, and the
            // allocator hands out the frame freed last.
            ScenarioSetup.MapAndFault(m, mm, ScenarioSetup.Target(m), 2 * page, 1);
            var window = new ReuseWindow(m, mm, walker: 1);
            var scenario = new Scenario()
                .On(0, cpu =>
                {
                    subject.DontNeed(cpu, mm, ScenarioSetup.Target(m), page);
                    if (!AddressSpace.Fault(cpu, mm, next))
                        throw new System.InvalidOperationException("the fault of the next page failed: the scenario explores nothing");
                    window.Refaulted(mm, next);
                })
                .On(1, cpu =>
                {
                    ScenarioSetup.GupAndPut(subject, cpu, mm, ScenarioSetup.Target(m), 1);
                    window.WalkEnded();
                });
            return new RacePreparation(m, scenario, () => new[] { mm }, windowReached: () => window.Reached);
        }

        // The walker read the PMD entry that leads to the target's PTE table and has not returned: whether it loaded the
        // PTE before the zap (the ABA) or after it (it finds none) is the explorer's to vary. The generated fast GUP
        // records its PTE loads only while the trace records, its upper-level loads always.
        private sealed class ReuseWindow
        {
            private readonly Machine _m;
            private readonly ulong _frame;
            private bool _inPteTable;

            public ReuseWindow(Machine m, Mm mm, int walker)
            {
                _m = m;
                _frame = (ulong)PageTables.TranslateQuietly(m, mm, ScenarioSetup.Target(m));
                var previous = m.Trace.Observer;
                m.Trace.Observer = e =>
                {
                    previous?.Invoke(e);
                    if (e.Kind == EventKind.WalkerRead && e.Cpu == walker && e.B == 1)
                        _inPteTable = Entry.IsPresent(e.C) && (e.C & Entry.Leaf) == 0;
                };
            }

            public bool Reached { get; private set; }

            public void WalkEnded() => _inPteTable = false;

            public void Refaulted(Mm mm, ulong address)
            {
                if (_inPteTable && (ulong)PageTables.TranslateQuietly(_m, mm, address) == _frame) Reached = true;
            }
        }
    }
}
