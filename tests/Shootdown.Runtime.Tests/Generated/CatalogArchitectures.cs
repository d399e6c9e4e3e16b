using System.Collections.Generic;
using Shootdown.Archs.Catalog;
using Shootdown.Simulation;

namespace Shootdown.Runtime.Tests.Generated
{
    /// <summary>Theory data over the catalog, and the small helpers the generated-code tests share.</summary>
    public static class CatalogArchitectures
    {
        public static IEnumerable<object[]> All()
        {
            foreach (var name in ArchitectureCatalog.Names) yield return new object[] { name };
        }

        public static IEnumerable<object[]> WithFastGup()
        {
            foreach (var entry in ArchitectureCatalog.Entries)
            {
                if (entry.Ops.Descriptor.FastGup) yield return new object[] { entry.Name };
            }
        }

        /// <summary>
        /// Fast GUP that takes small pages: with the PTE special bit. Without it gup_fast_pte_range is a stub (mm/gup.c)
        /// and only huge leaves are pinned (mips32-xpa).
        /// </summary>
        public static IEnumerable<object[]> WithSmallPageFastGup()
        {
            foreach (var entry in ArchitectureCatalog.Entries)
            {
                if (entry.Ops.Descriptor.FastGup && entry.Ops.Descriptor.PteSpecial) yield return new object[] { entry.Name };
            }
        }

        public static IEnumerable<object[]> WithSplitRead()
        {
            foreach (var entry in ArchitectureCatalog.Entries)
            {
                // Without a special bit gup_fast_pte_range is a stub (mm/gup.c): no PTE is read, split or not (mips32-xpa).
                var d = entry.Ops.Descriptor;
                if (d.FastGup && d.PteSpecial && d.PteRead == PteRead.LowHighSplit) yield return new object[] { entry.Name };
            }
        }

        public static ArchitectureOps Get(string name) =>
            ArchitectureCatalog.Find(name) ?? throw new KeyNotFoundException(name);

        /// <summary>A machine with one mm that both CPUs run.</summary>
        public static (Machine Machine, Mm Mm) Boot(ArchitectureOps arch, int frames = 4096)
        {
            var m = arch.CreateMachine(cpus: 2, frames: frames);
            var mm = m.CreateMm() ?? throw new System.InvalidOperationException("no frame for a pgd");
            m.Cpu(0).SwitchTo(mm);
            m.Cpu(1).SwitchTo(mm);
            return (m, mm);
        }

        /// <summary>
        /// A PMD-aligned start for a mapping of <paramref name="length"/> bytes: the <paramref name="pmds"/>th PMD
        /// boundary, or the highest one below it from which the mapping still ends by <c>TASK_SIZE</c>; never 0, so a
        /// table below the start exists too. A 32-bit space of 2 GiB PTE-table spans (powerpc-44x-256k) has one such
        /// boundary: 2 GiB.
        /// </summary>
        public static ulong PmdAlignedStart(Machine m, ulong length, ulong pmds = 8)
        {
            var pmd = m.Geometry.EntrySize(1);
            var top = m.Geometry.TaskSize;
            var start = length >= top ? 0 : pmd * System.Math.Min(pmds, (top - length) / pmd);
            Assert.True(start > 0, $"{length:x} bytes do not fit between the first PMD boundary ({pmd:x}) and the top of the {m.Geometry.AddressBits}-bit address space");
            return start;
        }

        /// <summary>The leaf entry mapping <paramref name="address"/>, found by walking the tables directly, or 0.</summary>
        public static ulong LeafEntry(Machine m, Mm mm, ulong address, out TableRef table, out int level, out int index)
        {
            var g = m.Geometry;
            table = mm.Pgd;
            for (level = g.Levels - 1; level >= 0; level--)
            {
                index = g.Index(level, address);
                var entry = PageTables.Read(m, table, level, index);
                if (!Entry.IsPresent(entry)) return 0;
                if (level == 0 || (entry & Entry.Leaf) != 0) return entry;
                table = PageTables.Deref(m, entry, level - 1);
            }
            index = 0;
            return 0;
        }

        /// <summary>The frame mapped at <paramref name="address"/> (the head frame of a huge leaf), or 0.</summary>
        public static int FrameAt(Machine m, Mm mm, ulong address)
        {
            var entry = LeafEntry(m, mm, address, out _, out _, out _);
            return entry == 0 ? 0 : PageTables.Pfn(m, entry);
        }
    }
}
