using Shootdown.Archs.Catalog;
using Shootdown.Explorer;

namespace Shootdown.Runtime.Tests.Reference
{
    /// <summary>The era knob decides tlb_remove_table_one's path (docs/linux-eras.md) and survives descriptor ids.</summary>
    public sealed class LinuxEraTests
    {
        [Theory]
        [InlineData("x86-64", LinuxEra.V6_1, TableOnePath.IpiSyncThenFree)]
        [InlineData("x86-64", LinuxEra.Stable, TableOnePath.CallRcu)]          // PT_RECLAIM
        [InlineData("x86-64", LinuxEra.Next, TableOnePath.CallRcu)]
        [InlineData("sparc64", LinuxEra.Stable, TableOnePath.RcuSyncThenFree)] // HAVE_ARCH_TLB_REMOVE_TABLE: no PT_RECLAIM
        [InlineData("powerpc64-radix", LinuxEra.Next, TableOnePath.RcuSyncThenFree)]
        [InlineData("sparc64", LinuxEra.V6_1, TableOnePath.IpiSyncThenFree)]
        public void The_era_decides_how_a_lone_table_is_freed(string arch, LinuxEra era, TableOnePath path)
        {
            var d = ArchitectureCatalog.Find(arch)!.Descriptor with { Linux = era };
            Assert.Equal(path, LinuxEras.RemoveTableOne(d));
            Assert.True(DescriptorId.TryDecode(DescriptorId.Encode(d), out var back, out var error), error);
            Assert.Equal(era, back.Linux);
        }

        [Fact]
        public void Without_rcu_table_freeing_every_era_frees_at_once_and_next_skips_the_sync_after_an_ipi_flush()
        {
            var d = ArchitectureCatalog.Find("x86-64")!.Descriptor with { Options = GatherOptions.TableFree };
            foreach (var era in new[] { LinuxEra.V6_1, LinuxEra.Stable, LinuxEra.Next })
                Assert.Equal(TableOnePath.FreeAtOnce, LinuxEras.RemoveTableOne(d with { Linux = era }));
            var ipiOwnFree = ArchitectureCatalog.Find("x86-64")!.Descriptor with { ArchTlbRemoveTable = true };
            Assert.Equal(TableOnePath.RcuSyncThenFree, LinuxEras.RemoveTableOne(ipiOwnFree with { Linux = LinuxEra.Stable }));
            Assert.Equal(TableOnePath.FreeAtOnce, LinuxEras.RemoveTableOne(ipiOwnFree with { Linux = LinuxEra.Next }));
        }

        [Fact]
        public void An_undefined_era_is_a_bad_argument()
        {
            var d = ArchitectureCatalog.Find("x86-64")!.Descriptor with { Linux = (LinuxEra)7 };
            Assert.Contains(DescriptorRules.Check(d), f => f.Id == DescriptorRules.BadArgument && f.Slot == DescriptorSlot.Linux);
        }
    }
}
