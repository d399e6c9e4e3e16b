using Shootdown.Archs.Catalog;
using Shootdown.Explorer;
using Xunit;

namespace Shootdown.Runtime.Tests.Differential
{
    /// <summary>Ids, machines and the descriptor space judge structure by the one definition in <see cref="DescriptorRules"/>.</summary>
    public sealed class StructuralValidityTests
    {
        [Fact]
        public void Ids_and_machines_refuse_what_the_structural_rules_refuse()
        {
            // 32 fragments per page passed the machine's own shape check before it used the rules' limits; 32 is a count
            // Linux uses now (up to 256), so the probe is 512, more than any level of any Linux packs into a page.
            var d = ArchitectureCatalog.Find("s390x-2k")!.Descriptor with { FragmentsPerPage = 512 };
            Assert.False(DescriptorRules.IsStructurallyValid(d));
            Assert.False(DescriptorRules.CanShapeTables(d));
            Assert.False(DescriptorId.TryDecode(DescriptorId.Encode(d), out _, out var error));
            Assert.Contains("SHD105", error);
            Assert.Throws<System.ArgumentException>(() => new Shootdown.Simulation.PageTableGeometry(d));
        }

        [Fact]
        public void A_broken_kconfig_dependency_is_invalid_yet_leaves_tables_to_run_on()
        {
            var noGather = ArchitectureCatalog.Find("x86-64")!.Descriptor with { Options = GatherOptions.NoGather };
            Assert.False(DescriptorRules.IsStructurallyValid(noGather));
            Assert.True(DescriptorRules.CanShapeTables(noGather));
            Assert.NotNull(new Shootdown.Simulation.PageTableGeometry(noGather));
        }
    }
}
