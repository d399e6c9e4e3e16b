using System;
using Shootdown.Simulation;

namespace Shootdown.Explorer
{
    /// <summary>Start states shared by the scenarios: small machines with one mm loaded on every CPU.</summary>
    public static class ScenarioSetup
    {
        // Where the contended mapping starts when the geometry has room: 1 GiB, with four PTE-table spans above it for
        // the neighbour. Every catalog geometry but one gets exactly this, so its explored executions (and the witness
        // ids of docs/races) do not depend on the fallback below.
        private const ulong PreferredTarget = 1UL << 30;
        private const ulong PreferredNeighbourSpans = 4;

        /// <summary>
        /// Where the contended mapping starts: PMD-aligned (the collapse and reclaim scenarios map the whole PTE-table
        /// span from it), with at least one more span above it below <c>TASK_SIZE</c> (the neighbour, the stack that
        /// shift_arg_pages moves). 1 GiB where that is aligned and leaves four spans above; else the highest PMD
        /// boundary below it that leaves one: 0 on powerpc 44x with 256 KiB pages, whose 8192-entry PTE tables span
        /// 2 GiB of a 32-bit space (<c>FIRST_USER_ADDRESS</c> is 0 there, arch/powerpc/include/asm/nohash/32/pgtable.h).
        /// </summary>
        public static ulong Target(Machine m) => Target(m.Geometry);

        /// <summary>The target of <see cref="Target(Machine)"/> for a geometry, before any machine is built.</summary>
        public static ulong Target(PageTableGeometry g)
        {
            var pmd = g.EntrySize(1);
            var top = g.TaskSize;
            if (top / pmd < 2)
                throw new InvalidOperationException($"a {g.AddressBits}-bit address space holds fewer than two PTE tables of {pmd:x} bytes");
            return Math.Min(PreferredTarget / pmd, top / pmd - 2) * pmd;
        }

        /// <summary>Frames per machine: enough for a few tables and pages, small enough to build in microseconds.</summary>
        public const int Frames = 256;

        /// <summary>
        /// Frames for a scenario that collapses PMD ranges: the huge folio is 2^(PMD shift - page shift) contiguous
        /// frames (512 on 4 KiB pages), aligned to its size and inside one half of a machine with high memory; with
        /// only <see cref="Frames"/>, <c>alloc_charge_folio</c> fails and <c>collapse_huge_page</c> does nothing.
        /// </summary>
        public static int CollapseFrames(ArchDescriptor d)
        {
            var g = new PageTableGeometry(d);
            return Frames + 4 * (1 << (g.Shift(1) - g.PageShift));
        }

        /// <summary>A machine of <paramref name="cpus"/> CPUs for <paramref name="d"/> and an empty mm every CPU runs.</summary>
        public static (Machine Machine, Mm Mm) Boot(ArchDescriptor d, int cpus, int frames = Frames)
        {
            var m = new Machine(d, cpus, frames);
            var mm = m.CreateMm() ?? throw new InvalidOperationException("no frame for the PGD");
            foreach (var cpu in m.Cpus) cpu.SwitchTo(mm);
            return (m, mm);
        }

        /// <summary>The size an entry at PMD level maps (the span of one PTE table).</summary>
        public static ulong PmdSize(Machine m) => m.Geometry.EntrySize(1);

        /// <summary>
        /// The neighbour mapping: PMD-aligned, four PMD entries above <see cref="Target(Machine)"/> (or as many as fit below
        /// <c>TASK_SIZE</c>, at least one), so its PTE table is a different table in the same PMD table, and on a
        /// fragmented machine the other fragment of the target's PTE-table page.
        /// </summary>
        public static ulong Neighbour(Machine m)
        {
            var pmd = PmdSize(m);
            var target = Target(m);
            return target + Math.Min(PreferredNeighbourSpans, (m.Geometry.TaskSize - target) / pmd - 1) * pmd;
        }

        /// <summary>Maps [<paramref name="start"/>, +<paramref name="length"/>) and faults in <paramref name="pages"/> pages from its start.</summary>
        public static Vma MapAndFault(Machine m, Mm mm, ulong start, ulong length, int pages, VmaFlags flags = VmaFlags.Write)
        {
            var vma = AddressSpace.Mmap(m, mm, start, length, flags);
            var page = (ulong)m.Geometry.PageSize;
            if (!AddressSpace.Populate(m.Cpu(0), mm, start, start + (ulong)pages * page))
                throw new InvalidOperationException("the scenario's machine ran out of frames while faulting in");
            return vma;
        }

        /// <summary>The target (two pages) and the neighbour (one page), both faulted in; TLBs and walk caches warm on every CPU.</summary>
        public static void TargetAndNeighbour(Machine m, Mm mm)
        {
            var page = (ulong)m.Geometry.PageSize;
            MapAndFault(m, mm, Target(m), 2 * page, 2);
            MapAndFault(m, mm, Neighbour(m), page, 1);
            foreach (var cpu in m.Cpus)
            {
                m.Mmu.Access(cpu, mm, Target(m));
                m.Mmu.Access(cpu, mm, Neighbour(m));
            }
        }

        /// <summary>fast GUP of <paramref name="pages"/> pages, then <c>put_page</c> on each pinned one.</summary>
        public static int GupAndPut(ArchitectureOps subject, Cpu cpu, Mm mm, ulong start, int pages)
        {
            Span<int> pinned = stackalloc int[pages];
            var n = subject.GupFast(cpu, mm, start, write: false, pinned);
            for (var i = 0; i < n; i++) cpu.Machine.Memory.Put(pinned[i], cpu.Id);
            return n;
        }
    }
}
