using System;
using System.Collections.Generic;
using Shootdown.Simulation;

namespace Shootdown.Explorer.Scenarios
{
    /// <summary>
    /// cpu0 replaces a present PTE with one for a new page in the other half of physical memory, as <c>wp_page_copy</c>
    /// does (<c>ptep_clear_flush</c>, <c>set_pte_at</c>, then the old page goes), while cpu1's fast GUP reads that PTE:
    /// on a PTE wider than the word a single load can take the old low half with the new high half (<c>gup_get_pte</c> under <c>GUP_GET_PXX_LOW_HIGH</c>, mm/gup.c; SHD005).
    /// </summary>
    public sealed class WidePteUpdate : RaceScenario
    {
        /// <summary>The scenario.</summary>
        public WidePteUpdate() : base("wide-pte-update-vs-gup-fast", "a PTE update (wp_page_copy) racing fast GUP's PTE read", "wp_page_copy", "gup_fast") { }

        /// <inheritdoc/>
        public override bool AppliesTo(ArchDescriptor d) => d.FastGup;

        /// <inheritdoc/>
        public override ArchDescriptor Project(ArchDescriptor d) => Projection.WithoutGather(Projection.WithoutRefill(Projection.WithoutWalker(Projection.ReadIfObservable(d))));

        /// <inheritdoc/>
        public override string Window => "wp_page_copy cleared the PTE while gup_fast was inside its PTE table";

        /// <inheritdoc/>
        public override RacePreparation Prepare(ArchDescriptor d, ArchitectureOps subject)
        {
            var (m, mm) = ScenarioSetup.Boot(d, 2);
            var window = new MidWalkWindow(m, initiator: 0, walker: 1);
            var page = (ulong)m.Geometry.PageSize;
            ScenarioSetup.MapAndFault(m, mm, ScenarioSetup.Target(m), page, 1);
            var pte = PteTable(m, mm, ScenarioSetup.Target(m));
            var index = m.Geometry.Index(0, ScenarioSetup.Target(m));
            var oldPfn = HighOldPage(m, pte, index);
            var newPfn = OtherHalf(m, oldPfn);
            var scenario = new Scenario()
                .On(0, cpu =>
                {
                    var old = PageTables.Clear(m, pte, 0, index); // ptep_clear_flush
                    m.Trace.Record(EventKind.EntryCleared, cpu.Id, ScenarioSetup.Target(m), 0);
                    m.Shootdown.FlushRange(cpu, mm, ScenarioSetup.Target(m), ScenarioSetup.Target(m) + page, freedTables: false);
                    m.Memory.AddMap(newPfn);
                    PageTables.Write(m, pte, 0, index, PageTables.PageEntry(m, newPfn, old & Entry.FlagMask)); // set_pte_at
                    m.Memory.RemoveMap(oldPfn, cpu.Id); // folio_remove_rmap_pte
                    m.Memory.Put(oldPfn, cpu.Id);       // the old page's last reference
                })
                .On(1, cpu =>
                {
                    ScenarioSetup.GupAndPut(subject, cpu, mm, ScenarioSetup.Target(m), 1);
                    window.WalkEnded();
                });
            return new RacePreparation(m, scenario, () => new[] { mm }, windowReached: () => window.Reached);
        }

        private static TableRef PteTable(Machine m, Mm mm, ulong address)
        {
            var g = m.Geometry;
            var table = mm.Pgd;
            for (var level = g.Levels - 1; level > 0; level--)
                table = PageTables.Deref(m, PageTables.Read(m, table, level, g.Index(level, address)), level - 1);
            return table;
        }

        // The old page above 4 GiB when there is high memory: a reader that samples its low half and then the cleared
        // high half (ptep_get_and_clear zeroes both) assembles a PTE for a page below 4 GiB that was never mapped
        // there, which only gup_get_pte's re-read of the low half catches. A low old page would make that torn read
        // the old PTE again.
        private static int HighOldPage(Machine m, TableRef pte, int index)
        {
            var entry = PageTables.Read(m, pte, 0, index);
            var low = PageTables.Pfn(m, entry);
            if (!m.Memory.HasHighMemory || HasLiveTwin(m, low)) return low;
            var high = HighPageWithLiveTwin(m);
            m.Memory.AddMap(high);
            PageTables.Write(m, pte, 0, index, PageTables.PageEntry(m, high, entry & Entry.FlagMask));
            m.Memory.RemoveMap(low);
            m.Memory.Put(low);
            return high;
        }

        // A page above 4 GiB whose low word names a page in use below it: the torn PTE (old low half, cleared high half)
        // then points at a live page, which try_grab_folio_fast takes a reference on. With the first frame of high
        // memory the low word is 0, frame 0 is no page (pfn_valid), and the torn read would end in a harmless bail-out;
        // which high frame the allocator gives first depends on how many tables the geometry took.
        private static bool HasLiveTwin(Machine m, int pfn)
        {
            var physical = m.Memory.PhysicalAddress(pfn);
            var twin = m.Memory.FrameAt(physical & uint.MaxValue);
            return (physical >> 32) != 0 && twin != 0 && m.Memory[twin].Use != FrameUse.Free;
        }

        private static int HighPageWithLiveTwin(Machine m) =>
            AllocateDataPage(m, pfn => HasLiveTwin(m, pfn), "no page above 4 GiB whose low word names a page in use");

        // A data page whose physical address differs from the old one's in the high word when there is high memory, so
        // a PTE assembled from halves of the two points at neither.
        private static int OtherHalf(Machine m, int oldPfn) =>
            AllocateDataPage(m, pfn => !m.Memory.HasHighMemory || (m.Memory.PhysicalAddress(pfn) >> 32) != (m.Memory.PhysicalAddress(oldPfn) >> 32),
                "no frame for the new page");

        // The first data page the allocator gives that <paramref name="accept"/> takes; the pages passed over go back.
        private static int AllocateDataPage(Machine m, Func<int, bool> accept, string none)
        {
            var spare = new List<int>();
            try
            {
                while (true)
                {
                    var pfn = m.Memory.TryAllocate(FrameUse.Data);
                    if (pfn == 0) throw new InvalidOperationException(none);
                    if (accept(pfn)) return pfn;
                    spare.Add(pfn);
                }
            }
            finally
            {
                foreach (var pfn in spare) m.Memory.Free(pfn);
            }
        }
    }
}
