using System;
using System.Collections.Generic;
using Shootdown.Explorer.Scenarios;
using Shootdown.Kernel;

namespace Shootdown.Explorer
{
    /// <summary>The race shapes, by name (runtime/README.md lists them with their Linux fixes).</summary>
    public static class RaceScenarios
    {
        /// <summary>Every scenario a descriptor is checked against, in the order they are run.</summary>
        public static IReadOnlyList<RaceScenario> All { get; } = new RaceScenario[]
        {
            new MunmapVsHardwareWalker(),
            new MunmapVsGupFast(),
            new PageReuseVsGupFast(),
            new MunmapVsSoftwareRefill(),
            new BatchFullVsHardwareWalker(),
            new MunmapVsLazyWalker(),
            new TableBatchFailure(hardware: true),
            new TableBatchFailure(hardware: false),
            new TableBatchFailure(hardware: true, LinuxEra.Stable),
            new TableBatchFailure(hardware: false, LinuxEra.Stable),
            new TableBatchFailure(hardware: true, LinuxEra.V6_1),
            new TableBatchFailure(hardware: false, LinuxEra.V6_1),
            new TableBatchFailure(hardware: true, LinuxEra.Next),
            new TableBatchFailure(hardware: false, LinuxEra.Next),
            new WidePteUpdate(),
            new ShiftArgPagesVsWalker(),
            new KhugepagedVsGupFast(),
            new KhugepagedVsHardwareWalker(),
            new PteFreeDeferFragments(),
            new NestedGathers(munmap: false),
            new NestedGathers(munmap: true),
            new MadviseReclaimVsWalker(ReclaimWalker.GupFast),
            new MadviseReclaimVsWalker(ReclaimWalker.PteOffsetMap),
            new MadviseReclaimVsWalker(ReclaimWalker.PteOffsetMap, batchFails: true),
            new ExitMmapVsLazyWalker(),
            new MunmapMixedAsidVsGupFast(),
            new DowngradeVsWriter(Downgrade.Mprotect),
            new DowngradeVsWriter(Downgrade.Free),
            new ForkVsKernelPgdEntry(PgdSyncDesign.LocklessPublishThenCopy),
            new ForkVsKernelPgdEntry(PgdSyncDesign.LockedPgdList),
        };

        /// <summary>
        /// Scenarios that are known to break, kept to show the explorer catches them: the lockless fork that copies the
        /// kernel entries before publishing the mm.
        /// </summary>
        public static IReadOnlyList<RaceScenario> KnownBroken { get; } = new RaceScenario[]
        {
            new ForkVsKernelPgdEntry(PgdSyncDesign.LocklessCopyThenPublish),
        };

        /// <summary>
        /// Scenarios too costly for every <c>check</c>: an execution of <see cref="TableBatchOverflow"/> frees hundreds of
        /// page tables (about 0.2 s on 4 KiB pages, 0.5 s with 1021 table slots), so a bounded search of it runs for
        /// minutes. The mutation suite and the window tests explore it on purpose, with small bounds.
        /// </summary>
        public static IReadOnlyList<RaceScenario> Costly { get; } = new RaceScenario[]
        {
            new TableBatchOverflow(),
        };

        /// <summary>The scenario called <paramref name="name"/> (in <see cref="All"/>, <see cref="Costly"/> or <see cref="KnownBroken"/>), or null.</summary>
        public static RaceScenario? Find(string name)
        {
            foreach (var s in All)
            {
                if (string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase)) return s;
            }
            foreach (var s in Costly)
            {
                if (string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase)) return s;
            }
            foreach (var s in KnownBroken)
            {
                if (string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase)) return s;
            }
            return null;
        }
    }
}
