using System;
using Shootdown.Archs.Catalog;
using Shootdown.Reference;
using Shootdown.Simulation;

namespace Shootdown.Benchmarks
{
    /// <summary>The architectures measured, and the two implementations of each: generated and reference.</summary>
    public static class Architectures
    {
        /// <summary>The catalog architectures the benchmarks take as a parameter.</summary>
        public static readonly string[] Names = { "x86-64", "arm64" };

        /// <summary>The generated operations of <paramref name="name"/> (its own <c>MmuGather</c> and <c>FastGup</c>).</summary>
        public static ArchitectureOps Generated(string name) =>
            ArchitectureCatalog.Find(name) ?? throw new ArgumentException($"no catalog architecture {name}", nameof(name));

        /// <summary>The same descriptor run by the reference (<see cref="ReferenceGather"/>, <see cref="ReferenceFastGup"/>).</summary>
        public static ArchitectureOps Reference(string name) =>
            new ArchitectureOps<ReferenceGather, ReferenceFastGup>(Generated(name).Descriptor);
    }

    /// <summary>A machine with one address space that both CPUs have run, trace off.</summary>
    public sealed class BenchMachine
    {
        /// <summary>A machine of <paramref name="frames"/> frames for <paramref name="descriptor"/>.</summary>
        public BenchMachine(ArchDescriptor descriptor, int frames)
        {
            Machine = new Machine(descriptor, cpus: 2, frames: frames);
            Mm = Machine.CreateMm() ?? throw new InvalidOperationException("no frame for a PGD");
            foreach (var cpu in Machine.Cpus) cpu.SwitchTo(Mm);
        }

        /// <summary>The machine.</summary>
        public Machine Machine { get; }

        /// <summary>The address space.</summary>
        public Mm Mm { get; }

        /// <summary>The CPU that runs the measured operation.</summary>
        public Cpu Cpu => Machine.Cpu(0);

        /// <summary>mmap and fault in every base page of [<paramref name="start"/>, +<paramref name="length"/>).</summary>
        public void MapSmall(ulong start, ulong length)
        {
            AddressSpace.Mmap(Machine, Mm, start, length, VmaFlags.Write);
            if (!AddressSpace.Populate(Cpu, Mm, start, start + length)) throw new InvalidOperationException("populate ran out of frames");
        }

        /// <summary>
        /// mmap a huge-page VMA and map every PMD with a compound page (<c>alloc_pages(HPAGE_PMD_ORDER)</c>), as a THP
        /// fault would. Done here rather than with <see cref="AddressSpace.Fault"/>, which takes one frame and sets its
        /// order by hand, so freeing it would report InvalidFree.
        /// </summary>
        public void MapHuge(ulong start, ulong length)
        {
            var m = Machine;
            var g = m.Geometry;
            var pmd = g.EntrySize(1);
            var order = g.Shift(1) - g.PageShift;
            AddressSpace.Mmap(m, Mm, start, length, VmaFlags.Write | VmaFlags.Huge);
            for (var a = start; a < start + length; a += pmd)
            {
                var table = Mm.Pgd;
                for (var level = g.Levels - 1; level > 1; level--)
                {
                    var index = g.Index(level, a);
                    var entry = PageTables.Read(m, table, level, index);
                    if (!Entry.IsPresent(entry))
                    {
                        var child = m.Tables.Allocate(level - 1);
                        if (child.IsNone) throw new InvalidOperationException("no frame for a page table");
                        entry = PageTables.TableEntry(m, child);
                        PageTables.Write(m, table, level, index, entry);
                    }
                    table = PageTables.Deref(m, entry, level - 1);
                }
                var head = m.Memory.TryAllocateCompound(FrameUse.Data, order);
                if (head == 0) throw new InvalidOperationException("no compound page left");
                m.Memory[head].MapCount = 1;
                PageTables.Write(m, table, 1, g.Index(1, a), PageTables.PageEntry(m, head, Entry.Write | Entry.Leaf));
            }
        }
    }
}
