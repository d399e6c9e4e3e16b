using System;
using System.Collections.Generic;
using Shootdown.Kernel;
using Shootdown.Simulation;

namespace Shootdown.Explorer.Scenarios
{
    /// <summary>
    /// fork on cpu0 publishes a new mm while cpu1 adds a kernel PGD entry (<c>sync_global_pgds</c>): afterwards no mm may
    /// lack the entry (the lockless <c>pgd_alloc()</c> series for x86, "x86/mm: Implement lockless pgd_alloc()/pgd_free()"). Runs one of <see cref="PgdSyncDesign"/>'s designs.
    /// </summary>
    public sealed class ForkVsKernelPgdEntry : RaceScenario
    {
        private readonly PgdSyncDesign _design;

        /// <summary>The race under <paramref name="design"/>.</summary>
        public ForkVsKernelPgdEntry(PgdSyncDesign design)
        {
            if (!Enum.IsDefined(design)) throw new ArgumentOutOfRangeException(nameof(design), design, "no such design");
            _design = design;
        }

        /// <inheritdoc/>
        public override string Name => _design switch
        {
            PgdSyncDesign.LocklessPublishThenCopy => "fork-vs-kernel-pgd-entry",
            PgdSyncDesign.LocklessCopyThenPublish => "fork-vs-kernel-pgd-entry-copy-then-publish",
            _ => "fork-vs-kernel-pgd-entry-pgd-list",
        };

        /// <inheritdoc/>
        public override string Title => $"fork publishing a new mm vs a kernel PGD entry being added ({_design})";

        /// <inheritdoc/>
        public override IReadOnlyList<string> Roles { get; } = new[] { "fork", "sync_global_pgds" };

        /// <inheritdoc/>
        public override bool AppliesTo(ArchDescriptor d) => true;

        /// <inheritdoc/>
        public override ArchDescriptor Project(ArchDescriptor d) => Projection.WithoutGather(Projection.WithoutRefill(Projection.WithoutWalker(Projection.WithoutGup(d)))) with { Invalidation = Invalidation.Ipi, SynchronousOnClear = false };

        /// <inheritdoc/>
        public override RacePreparation Prepare(ArchDescriptor d, ArchitectureOps subject)
        {
            var m = new Machine(d, 2, ScenarioSetup.Frames);
            var kernel = new KernelSpace(m, _design);
            var parent = kernel.Spawn(m.Cpu(0));
            var page = (ulong)m.Geometry.PageSize;
            ScenarioSetup.MapAndFault(m, parent.Mm!, ScenarioSetup.Target(m), page, 1);
            // The second kernel PGD entry, or the only one in a PGD of two (powerpc 44x with 256 KiB pages).
            var index = System.Math.Min(kernel.KernelFirstIndex + 1, m.Geometry.Entries(m.Geometry.Levels - 1) - 1);
            var scenario = new Scenario()
                .On(0, cpu => kernel.Fork(cpu, parent))
                .On(1, cpu => kernel.AddKernelEntry(cpu, index));
            IEnumerable<Mm> Live()
            {
                foreach (var task in kernel.Tasks)
                {
                    if (task.Mm is { } mm) yield return mm;
                }
            }
            IEnumerable<int> Owned()
            {
                yield return kernel.ReferencePgd.Pfn;
                var g = m.Geometry;
                for (var i = kernel.KernelFirstIndex; i < g.Entries(g.Levels - 1); i++)
                {
                    var entry = PageTables.Read(m, kernel.ReferencePgd, g.Levels - 1, i);
                    if (Entry.IsPresent(entry)) yield return PageTables.Pfn(m, entry);
                }
            }
            IEnumerable<string> Missing()
            {
                foreach (var (task, i) in kernel.MissingKernelEntries())
                    yield return $"{task}'s PGD lacks kernel entry {i} that swapper_pg_dir has";
            }
            return new RacePreparation(m, scenario, Live, Owned, Missing);
        }
    }
}
