using static Shootdown.Runtime.Tests.Generated.CatalogArchitectures;

namespace Shootdown.Runtime.Tests.Generated
{
    /// <summary>Every catalog descriptor is one Linux really builds, so the rules find nothing to say about it.</summary>
    public sealed class CatalogDescriptorTests
    {
        [Theory]
        [MemberData(nameof(CatalogArchitectures.All), MemberType = typeof(CatalogArchitectures))]
        public void The_rules_find_nothing(string name)
        {
            Assert.Empty(DescriptorRules.Check(Get(name).Descriptor));
        }
    }
}
