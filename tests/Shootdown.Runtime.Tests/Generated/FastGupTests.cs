using System;
using Shootdown.Simulation;
using static Shootdown.Runtime.Tests.Generated.CatalogArchitectures;

namespace Shootdown.Runtime.Tests.Generated
{
    /// <summary>The generated gup_fast of every catalog architecture, run on the machine.</summary>
    public sealed class FastGupTests
    {
        private const ulong Base = 1UL << 30;

        [Theory]
        [MemberData(nameof(CatalogArchitectures.WithSmallPageFastGup), MemberType = typeof(CatalogArchitectures))]
        public void Pins_exactly_the_mapped_pages_and_the_references_go_back(string name)
        {
            var arch = Get(name);
            var (m, mm) = Boot(arch);
            var page = (ulong)m.Geometry.PageSize;
            AddressSpace.Mmap(m, mm, Base, 16 * page, VmaFlags.Write);
            Assert.True(AddressSpace.Populate(m.Cpu(0), mm, Base, Base + 16 * page));
            var expected = new int[16];
            var before = new int[16];
            for (var i = 0; i < 16; i++)
            {
                expected[i] = FrameAt(m, mm, Base + (ulong)i * page);
                before[i] = m.Memory[expected[i]].RefCount;
            }

            var pages = new int[16];
            var cpu = m.Cpu(1);
            var pinned = arch.GupFast(cpu, mm, Base, write: true, pages);

            Assert.Equal(16, pinned);
            Assert.Equal(expected, pages);
            for (var i = 0; i < 16; i++) Assert.Equal(before[i] + 1, m.Memory[expected[i]].RefCount);
            Assert.True(cpu.IrqsEnabled, "local_irq_restore must turn interrupts back on");
            foreach (var pfn in pages) m.Memory.Put(pfn, cpu.Id);
            for (var i = 0; i < 16; i++) Assert.Equal(before[i], m.Memory[expected[i]].RefCount);
            Assert.Empty(m.Violations.All);
        }

        [Theory]
        [MemberData(nameof(CatalogArchitectures.WithSmallPageFastGup), MemberType = typeof(CatalogArchitectures))]
        public void Stops_at_an_unmapped_hole(string name)
        {
            var arch = Get(name);
            var (m, mm) = Boot(arch);
            var page = (ulong)m.Geometry.PageSize;
            AddressSpace.Mmap(m, mm, Base, 8 * page, VmaFlags.Write);
            for (var i = 0; i < 8; i++)
            {
                if (i != 3) Assert.True(AddressSpace.Fault(m.Cpu(0), mm, Base + (ulong)i * page));
            }

            var pages = new int[8];
            var pinned = arch.GupFast(m.Cpu(0), mm, Base, write: false, pages);

            Assert.Equal(3, pinned);
            for (var i = 0; i < 3; i++) Assert.Equal(FrameAt(m, mm, Base + (ulong)i * page), pages[i]);
            Assert.Equal(0, pages[3]);
            for (var i = 0; i < pinned; i++) m.Memory.Put(pages[i]);
        }

        [Theory]
        [MemberData(nameof(CatalogArchitectures.WithSmallPageFastGup), MemberType = typeof(CatalogArchitectures))]
        public void Refuses_a_write_pin_of_a_read_only_page_but_takes_a_read_pin(string name)
        {
            var arch = Get(name);
            var (m, mm) = Boot(arch);
            var page = (ulong)m.Geometry.PageSize;
            AddressSpace.Mmap(m, mm, Base, 4 * page, VmaFlags.None);
            Assert.True(AddressSpace.Populate(m.Cpu(0), mm, Base, Base + 4 * page));
            var pfn = FrameAt(m, mm, Base);
            var refs = m.Memory[pfn].RefCount;

            Assert.Equal(0, arch.GupFast(m.Cpu(0), mm, Base, write: true, new int[4]));
            Assert.Equal(refs, m.Memory[pfn].RefCount);

            var pages = new int[4];
            Assert.Equal(4, arch.GupFast(m.Cpu(0), mm, Base, write: false, pages));
            foreach (var p in pages) m.Memory.Put(p);
            Assert.Equal(refs, m.Memory[pfn].RefCount);
        }

        [Theory]
        [MemberData(nameof(CatalogArchitectures.WithSmallPageFastGup), MemberType = typeof(CatalogArchitectures))]
        public void Stops_at_a_special_pte(string name)
        {
            var arch = Get(name);
            var (m, mm) = Boot(arch);
            var page = (ulong)m.Geometry.PageSize;
            AddressSpace.Mmap(m, mm, Base, 2 * page, VmaFlags.Write);
            AddressSpace.Mmap(m, mm, Base + 2 * page, 2 * page, VmaFlags.Write | VmaFlags.PfnMap);
            Assert.True(AddressSpace.Populate(m.Cpu(0), mm, Base, Base + 2 * page));
            Assert.True(AddressSpace.Populate(m.Cpu(0), mm, Base + 2 * page, Base + 4 * page));
            Assert.Equal(0, FrameAt(m, mm, Base + 2 * page)); // VM_PFNMAP maps device memory: no struct page behind it
            var inUse = m.Memory.InUse;

            var pages = new int[4];
            var pinned = arch.GupFast(m.Cpu(0), mm, Base, write: false, pages);

            Assert.Equal(2, pinned);
            Assert.Equal(inUse, m.Memory.InUse);
            for (var i = 0; i < pinned; i++) m.Memory.Put(pages[i]);
        }

        [Theory]
        [MemberData(nameof(CatalogArchitectures.WithFastGup), MemberType = typeof(CatalogArchitectures))]
        public void Pins_every_base_page_of_a_huge_pmd_leaf(string name)
        {
            var arch = Get(name);
            var (m, mm) = Boot(arch);
            var huge = m.Geometry.EntrySize(1);
            var perHuge = (int)(huge / (ulong)m.Geometry.PageSize);
            // A 16 KiB-page PMD leaf (loongarch64) is 2048 pages: give the machine room for an aligned one.
            if (4 * perHuge > 4096) (m, mm) = Boot(arch, frames: 4 * perHuge);
            var start = PmdAlignedStart(m, huge, pmds: 4);
            AddressSpace.Mmap(m, mm, start, huge, VmaFlags.Write | VmaFlags.Huge);
            Assert.True(AddressSpace.Populate(m.Cpu(0), mm, start, start + huge));
            var head = FrameAt(m, mm, start);
            var refs = m.Memory[head].RefCount;

            var pages = new int[perHuge];
            var pinned = arch.GupFast(m.Cpu(0), mm, start, write: true, pages);

            Assert.Equal(perHuge, pinned);
            for (var i = 0; i < perHuge; i++) Assert.Equal(head + i, pages[i]); // record_subpages: base page i is head + i
            Assert.Equal(refs + perHuge, m.Memory[head].RefCount);
            foreach (var p in pages) m.Memory.Put(p);
            Assert.Equal(refs, m.Memory[head].RefCount);
        }

        [Theory]
        [MemberData(nameof(CatalogArchitectures.All), MemberType = typeof(CatalogArchitectures))]
        public void An_architecture_without_fast_gup_or_a_special_bit_pins_no_small_page(string name)
        {
            var arch = Get(name);
            var (m, mm) = Boot(arch);
            var page = (ulong)m.Geometry.PageSize;
            AddressSpace.Mmap(m, mm, Base, 2 * page, VmaFlags.Write);
            Assert.True(AddressSpace.Populate(m.Cpu(0), mm, Base, Base + 2 * page));
            var pages = new int[2];
            var pinned = arch.GupFast(m.Cpu(0), mm, Base, write: false, pages);
            // Without the PTE special bit fast GUP takes no small page either (gup_fast_pte_range is a stub).
            Assert.Equal(arch.Descriptor.FastGup && arch.Descriptor.PteSpecial ? 2 : 0, pinned);
            for (var i = 0; i < pinned; i++) m.Memory.Put(pages[i]);
        }

        [Theory]
        [MemberData(nameof(CatalogArchitectures.WithFastGup), MemberType = typeof(CatalogArchitectures))]
        public void Rejects_an_unaligned_start_and_takes_nothing_beyond_task_size(string name)
        {
            var arch = Get(name);
            var (m, mm) = Boot(arch);
            Assert.Throws<ArgumentException>(() => arch.GupFast(m.Cpu(0), mm, Base + 1, write: false, new int[1]));
            Assert.Equal(0, arch.GupFast(m.Cpu(0), mm, m.Geometry.TaskSize - (ulong)m.Geometry.PageSize, write: false, new int[2]));
            Assert.Equal(0, arch.GupFast(m.Cpu(0), mm, Base, write: false, Span<int>.Empty));
        }
    }
}
