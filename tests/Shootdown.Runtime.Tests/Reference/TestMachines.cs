using System;
using System.Linq;
using Shootdown.Simulation;

namespace Shootdown.Runtime.Tests.Reference
{
    /// <summary>Descriptors built directly, and small helpers to set up address spaces on them.</summary>
    internal static class TestMachines
    {
        public const ulong Base = 1UL << 30;

        public static ArchDescriptor X86Like(GatherOptions options = GatherOptions.RcuTableFree) =>
            new("x86-like", Invalidation.Ipi, false, 4, 4096, 1, 64, 64, true, WalkerKind.CachesUpperLevels, false, options, true, PteRead.SingleLoad);

        public static ArchDescriptor Arm64Like(GatherOptions options = GatherOptions.RcuTableFree) =>
            new("arm64-like", Invalidation.HardwareBroadcast, false, 4, 4096, 1, 64, 64, true, WalkerKind.CachesUpperLevels, false, options, true, PteRead.SingleLoad);

        public static ArchDescriptor S390Like(GatherOptions options = GatherOptions.RcuTableFree | GatherOptions.NoGather, bool syncClear = true) =>
            new("s390-like", Invalidation.HardwareBroadcast, syncClear, 4, 4096, 2, 64, 64, true, WalkerKind.WalksTables, false, options, true, PteRead.SingleLoad);

        /// <summary>x86 PAE / ARM LPAE: 64-bit PTEs on a 32-bit word, 3 levels.</summary>
        public static ArchDescriptor Pae(PteRead read) =>
            new("pae-like", Invalidation.Ipi, false, 3, 4096, 1, 64, 32, true, WalkerKind.CachesUpperLevels, false, GatherOptions.RcuTableFree, true, read);

        public static (Machine M, Mm Mm, Cpu C0, Cpu C1) Boot(ArchDescriptor d, int frames = 4096, int cpus = 2)
        {
            var m = new Machine(d, cpus, frames);
            var mm = m.CreateMm() ?? throw new InvalidOperationException("no PGD");
            foreach (var cpu in m.Cpus) cpu.SwitchTo(mm);
            return (m, mm, m.Cpu(0), m.Cpu(1));
        }

        public static Vma MapAndFault(Machine m, Mm mm, ulong start, ulong length, VmaFlags flags = VmaFlags.Write)
        {
            var vma = AddressSpace.Mmap(m, mm, start, length, flags);
            Assert.True(AddressSpace.Populate(m.Cpu(0), mm, start, start + length), "populate ran out of memory");
            return vma;
        }

        /// <summary>Every CPU touches every page, so TLBs and walk caches hold translations to be shot down.</summary>
        public static void TouchAll(Machine m, Mm mm, ulong start, ulong end)
        {
            foreach (var cpu in m.Cpus)
            {
                for (var a = start; a < end; a += (ulong)m.Geometry.PageSize) m.Mmu.Access(cpu, mm, a);
            }
        }

        /// <summary>The events as text, for comparing traces: nothing in them depends on other machines (mm ids are per machine).</summary>
        public static string[] Normalized(Machine m) => m.Trace.Snapshot().Select(e => e.ToString()).ToArray();

        public static int Count(Machine m, EventKind kind) => m.Trace.Count(kind);

        public static int IndexOf(Machine m, EventKind kind, int from = 0)
        {
            var all = m.Trace.Snapshot();
            for (var i = from; i < all.Count; i++)
            {
                if (all[i].Kind == kind) return i;
            }
            return -1;
        }
    }
}
