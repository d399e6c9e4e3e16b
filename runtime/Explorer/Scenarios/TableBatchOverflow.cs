using System.Collections.Generic;
using Shootdown.Kernel;
using Shootdown.Simulation;

namespace Shootdown.Explorer.Scenarios
{
    /// <summary>
    /// munmap whose <c>free_pgtables</c> frees one page table more than a table batch holds (<c>MAX_TABLE_BATCH</c>,
    /// include/asm-generic/tlb.h), so <c>tlb_remove_table</c> (mm/mmu_gather.c) finds the batch full and
    /// <c>tlb_table_flush</c> sends it off in the middle of the unmap: <c>tlb_table_invalidate</c>, then
    /// <c>call_rcu</c> (or the free itself without <c>MMU_GATHER_RCU_TABLE_FREE</c>), while a walker still runs the mm
    /// (the hardware walker where the MMU walks the Linux tables, else fast GUP or a software TLB refill).
    /// </summary>
    /// <remarks>
    /// The tables cost little: one per PMD entry (one PTE table under each), empty but for the first, each under a VMA
    /// of one page, so the zap reads one entry per table and the machine holds <see cref="Tables"/> table frames and two
    /// data pages. Explored only where <c>MAX_TABLE_BATCH</c> is at most <see cref="MaxTableBatchExplored"/> (4 KiB and
    /// 8 KiB pages) and the tables fit above <see cref="ScenarioSetup.Target(PageTableGeometry)"/>: with 16 KiB pages (2045 slots) and 64 KiB
    /// pages (8189) an execution would hold that many more tables and scheduling points, and a 32-bit space of 256 KiB
    /// pages holds 8 PTE tables in all, so its batch of 65533 never fills.
    /// </remarks>
    public sealed class TableBatchOverflow : RaceScenario
    {
        /// <summary>The largest <c>MAX_TABLE_BATCH</c> the scenario is built for.</summary>
        public const int MaxTableBatchExplored = 1024;

        /// <summary>The scenario.</summary>
        public TableBatchOverflow()
            : base("munmap-table-batch-full-vs-walker", "munmap freeing more page tables than a table batch holds (MAX_TABLE_BATCH) vs a walker", "munmap (table batch full)", "walker") { }

        /// <summary>PTE tables the munmap frees: one more than a batch holds.</summary>
        public static int Tables(ArchDescriptor d) => GatherGeometry.MaxTableBatch(d) + 1;

        /// <summary>True when the batch can overflow in the scenario's machine (see the remarks).</summary>
        public static bool Explores(ArchDescriptor d)
        {
            if (!d.Has(GatherOptions.TableFree) || GatherGeometry.MaxTableBatch(d) > MaxTableBatchExplored) return false;
            var g = new PageTableGeometry(d);
            return g.Levels > 1 && ScenarioSetup.Target(g) + (ulong)Tables(d) * g.EntrySize(1) <= g.TaskSize;
        }

        /// <inheritdoc/>
        public override bool AppliesTo(ArchDescriptor d) => Explores(d) && (d.HardwareWalksTables || d.HasSoftwareWalker);

        /// <inheritdoc/>
        public override ArchDescriptor Project(ArchDescriptor d) =>
            d.HardwareWalksTables ? Projection.WithoutRefill(Projection.WithoutGup(d)) : Projection.SoftwareWalker(d.FastGup ? Projection.WithoutWalker(d) : d);

        /// <inheritdoc/>
        public override string Window => "the table batch overflowed: a full batch left the gather in the middle of the unmap, and the walker walked after it";

        /// <inheritdoc/>
        public override RacePreparation Prepare(ArchDescriptor d, ArchitectureOps subject)
        {
            var n = Tables(d);
            var (m, mm) = ScenarioSetup.Boot(d, 2, ScenarioSetup.Frames + n);
            var target = ScenarioSetup.Target(m);
            var page = (ulong)m.Geometry.PageSize;
            var pmd = ScenarioSetup.PmdSize(m);
            ScenarioSetup.MapAndFault(m, mm, target, 2 * page, 2); // what the walker translates
            for (var i = 1; i < n; i++) MapEmptyTable(m, mm, target + (ulong)i * pmd);
            var end = target + (ulong)(n - 1) * pmd + page;
            foreach (var cpu in m.Cpus) m.Mmu.Access(cpu, mm, target);
            var hardware = d.HardwareWalksTables;
            if (hardware) Walkers.StartWalk(m.Cpu(1), mm, target + page); // a speculative walk already in flight
            var window = new Overflow(m, initiator: 0, walker: 1);
            var scenario = new Scenario()
                .On(0, cpu => subject.Munmap(cpu, mm, target, end - target))
                .On(1, cpu =>
                {
                    if (hardware) HardwareWalkerLoop.Run(cpu, mm, neighbour: false);
                    else HardwareWalkerLoop.Software(subject, cpu, mm, target, 2);
                });
            return new RacePreparation(m, scenario, () => new[] { mm }, windowReached: () => window.Reached);
        }

        // A one-page VMA with an empty PTE table under it, as a fault then MADV_DONTNEED would leave it, built directly
        // so the start state needs no data page per table.
        private static void MapEmptyTable(Machine m, Mm mm, ulong address)
        {
            var cpu = m.Cpu(0);
            AddressSpace.Mmap(cpu, mm, address, (ulong)m.Geometry.PageSize, VmaFlags.Write);
            mm.PageTableLock.Enter(cpu);
            try
            {
                if (!Exec.FindPte(m, mm, address, allocate: true, cpu, out _, out _))
                    throw new System.InvalidOperationException("the scenario's machine ran out of frames for its page tables");
            }
            finally
            {
                mm.PageTableLock.Exit(cpu);
            }
        }

        // The initiator allocated a second table batch within its gather (the first left full), and the walker read a
        // table after that, before the gather finished.
        private sealed class Overflow
        {
            private int _batches;
            private bool _finished;

            public Overflow(Machine m, int initiator, int walker)
            {
                m.Trace.Watch(e =>
                {
                    if (e.Cpu == initiator && e.Kind == EventKind.BatchAllocated && e.B == 1) _batches++;
                    else if (e.Cpu == initiator && e.Kind == EventKind.GatherFinish) _finished = true;
                    else if (e.Cpu == walker && e.Kind == EventKind.WalkerRead && _batches > 1 && !_finished) Reached = true;
                });
            }

            public bool Reached { get; private set; }
        }
    }
}
