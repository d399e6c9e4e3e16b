using Shootdown.Simulation;

namespace Shootdown.Archs.Jobs
{
    /// <summary>What one unmap run did.</summary>
    /// <param name="Architecture">The architecture.</param>
    /// <param name="PagesMapped">Data pages faulted in before the unmap.</param>
    /// <param name="PagesFreed">Data pages that went back to the allocator.</param>
    /// <param name="TablesFreed">Page-table pages that went back.</param>
    /// <param name="LocalFlushes">Local TLB flushes (each IPI shootdown starts with one).</param>
    /// <param name="IpiFlushes">Flushes that interrupted other CPUs.</param>
    /// <param name="BroadcastFlushes">Hardware-broadcast flushes.</param>
    /// <param name="Violations">Broken invariants.</param>
    /// <param name="FramesLeaked">Frames still in use after the address space went away.</param>
    public sealed record UnmapReport(string Architecture, int PagesMapped, int PagesFreed, int TablesFreed,
        int LocalFlushes, int IpiFlushes, int BroadcastFlushes, int Violations, int FramesLeaked)
    {
        /// <summary>Every TLB flush, whatever its mechanism.</summary>
        public int TlbFlushes => IpiFlushes + BroadcastFlushes + (IpiFlushes == 0 ? LocalFlushes : 0);

        /// <summary>True when nothing broke and every page came back.</summary>
        public bool Clean => Violations == 0 && FramesLeaked == 0 && PagesFreed == PagesMapped;
    }

    /// <summary>
    /// The main job: on a two-CPU machine, map two adjacent VMAs, fault them in on CPU 0, let CPU 1 cache every
    /// translation, munmap both with the architecture's generated gather, then tear the mm down.
    /// </summary>
    public static class UnmapJob
    {
        /// <summary>Bytes in each of the two VMAs.</summary>
        public const ulong RegionBytes = 4UL << 20;

        /// <summary>Runs the job on <paramref name="arch"/>.</summary>
        public static UnmapReport Run(ArchitectureOps arch)
        {
            var machine = arch.CreateMachine(cpus: 2, frames: 8192);
            var cpu0 = machine.Cpu(0);
            var cpu1 = machine.Cpu(1);
            var before = machine.Memory.InUse;
            var mm = machine.CreateMm() ?? throw new System.InvalidOperationException("no memory for a PGD");
            cpu0.SwitchTo(mm);
            cpu1.SwitchTo(mm);

            var start = 1UL << 30;
            AddressSpace.Mmap(machine, mm, start, RegionBytes, VmaFlags.Write);
            AddressSpace.Mmap(machine, mm, start + RegionBytes, RegionBytes, VmaFlags.Write | VmaFlags.Exec);
            if (!AddressSpace.Populate(cpu0, mm, start, start + 2 * RegionBytes))
                throw new System.InvalidOperationException("out of simulated memory while populating");
            var pageSize = (ulong)machine.Geometry.PageSize;
            for (var a = start; a < start + 2 * RegionBytes; a += pageSize) machine.Mmu.Access(cpu1, mm, a);
            var mapped = (int)(2 * RegionBytes / pageSize);

            machine.Trace.Enabled = true;
            arch.Munmap(cpu0, mm, start, 2 * RegionBytes);
            for (var a = start; a < start + 2 * RegionBytes; a += pageSize) machine.Mmu.Access(cpu1, mm, a);
            arch.ExitMmap(cpu0, mm);
            machine.Rcu.Quiesce();

            var t = machine.Trace;
            return new UnmapReport(arch.Descriptor.Name, mapped, t.Count(EventKind.PageFreed) - t.Count(EventKind.BatchAllocated),
                t.Count(EventKind.TableFreed), t.Count(EventKind.LocalFlush), t.Count(EventKind.IpiFlush),
                t.Count(EventKind.BroadcastFlush), machine.Violations.All.Count, machine.Memory.InUse - before);
        }
    }
}
