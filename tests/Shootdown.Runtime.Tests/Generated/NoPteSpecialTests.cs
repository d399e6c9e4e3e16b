using Shootdown.Simulation;

namespace Shootdown.Runtime.Tests.Generated
{
    /// <summary>gup_fast without ARCH_HAS_PTE_SPECIAL: gup_fast_pte_range pins nothing, huge leaves still go.</summary>
    public sealed class NoPteSpecialTests
    {
        private static readonly ArchitectureOps Arch = NoPteSpecialArchitecture.Ops;

        [Fact]
        public void Small_pages_are_left_to_the_slow_path()
        {
            var (m, mm) = CatalogArchitectures.Boot(Arch);
            var start = 1UL << 30;
            AddressSpace.Mmap(m, mm, start, 4 * 4096, VmaFlags.Write);
            Assert.True(AddressSpace.Populate(m.Cpu(0), mm, start, start + 4 * 4096));
            var pfn = CatalogArchitectures.FrameAt(m, mm, start);
            var refs = m.Memory[pfn].RefCount;

            Assert.Equal(0, Arch.GupFast(m.Cpu(0), mm, start, write: false, new int[4]));
            Assert.Equal(refs, m.Memory[pfn].RefCount);
        }

        [Fact]
        public void Huge_leaves_are_still_pinned()
        {
            var (m, mm) = CatalogArchitectures.Boot(Arch);
            var huge = m.Geometry.EntrySize(1);
            AddressSpace.Mmap(m, mm, huge, huge, VmaFlags.Write | VmaFlags.Huge);
            Assert.True(AddressSpace.Populate(m.Cpu(0), mm, huge, 2 * huge));
            var pages = new int[(int)(huge / 4096)];

            Assert.Equal(pages.Length, Arch.GupFast(m.Cpu(0), mm, huge, write: true, pages));
            foreach (var p in pages) m.Memory.Put(p);
        }
    }
}
