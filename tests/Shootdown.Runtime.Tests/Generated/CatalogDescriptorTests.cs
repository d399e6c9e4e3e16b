using System.Collections.Generic;
using System.Linq;
using static Shootdown.Runtime.Tests.Generated.CatalogArchitectures;

namespace Shootdown.Runtime.Tests.Generated
{
    /// <summary>
    /// Every catalog descriptor is one Linux really builds, so the rules find nothing to say about it, except a cost Linux
    /// itself pays, listed here with its reason (the class suppresses it with a #pragma naming the same reason).
    /// </summary>
    public sealed class CatalogDescriptorTests
    {
        // arch/mips/Kconfig: select ARCH_HAS_PTE_SPECIAL if !(32BIT && CPU_HAS_RIXI); CPU_MIPSR5 selects CPU_HAS_RIXI.
        private static readonly Dictionary<string, string[]> PaidByLinux = new()
        {
            ["mips32-xpa"] = new[] { DescriptorRules.FastGupWithoutSpecial },
        };

        [Theory]
        [MemberData(nameof(CatalogArchitectures.All), MemberType = typeof(CatalogArchitectures))]
        public void The_rules_find_nothing_but_what_Linux_pays(string name)
        {
            var found = DescriptorRules.Check(Get(name).Descriptor).Select(f => f.Id).ToArray();
            var paid = PaidByLinux.TryGetValue(name, out var ids) ? ids : System.Array.Empty<string>();
            Assert.Equal(paid, found);
            Assert.All(found, id => Assert.Equal(RuleCategory.Cost, DescriptorRules.ById(id).Category));
        }
    }
}
