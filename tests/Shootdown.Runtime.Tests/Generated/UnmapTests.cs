using Shootdown.Archs.Jobs;
using Shootdown.Simulation;
using static Shootdown.Runtime.Tests.Generated.CatalogArchitectures;

namespace Shootdown.Runtime.Tests.Generated
{
    /// <summary>The generated gather and table batch of every catalog architecture tear down cleanly.</summary>
    public sealed class UnmapTests
    {
        [Theory]
        [MemberData(nameof(CatalogArchitectures.All), MemberType = typeof(CatalogArchitectures))]
        public void The_main_job_frees_every_page_and_breaks_nothing(string name)
        {
            var report = UnmapJob.Run(Get(name));
            Assert.Equal(0, report.Violations);
            Assert.Equal(0, report.FramesLeaked);
            Assert.Equal(report.PagesMapped, report.PagesFreed);
            Assert.True(report.TablesFreed > 0);
        }

        [Theory]
        [MemberData(nameof(CatalogArchitectures.All), MemberType = typeof(CatalogArchitectures))]
        public void Pages_pinned_by_fast_gup_outlive_munmap_until_put(string name)
        {
            var arch = Get(name);
            var (m, mm) = Boot(arch);
            var baseline = m.Memory.InUse;
            var page = (ulong)m.Geometry.PageSize;
            var start = 1UL << 30;
            AddressSpace.Mmap(m, mm, start, 8 * page, VmaFlags.Write);
            Assert.True(AddressSpace.Populate(m.Cpu(0), mm, start, start + 8 * page));
            var pages = new int[8];
            var pinned = arch.GupFast(m.Cpu(1), mm, start, write: true, pages);

            arch.Munmap(m.Cpu(0), mm, start, 8 * page);
            m.Rcu.Quiesce();
            for (var i = 0; i < pinned; i++) Assert.Equal(FrameUse.Data, m.Memory[pages[i]].Use);
            for (var i = 0; i < pinned; i++) m.Memory.Put(pages[i], 1);
            arch.ExitMmap(m.Cpu(0), mm);
            m.Rcu.Quiesce();

            Assert.Empty(m.Violations.All);
            Assert.Equal(baseline - m.Geometry.TableFrames(m.Geometry.Levels - 1), m.Memory.InUse); // the pgd went with the mm
        }
    }
}
