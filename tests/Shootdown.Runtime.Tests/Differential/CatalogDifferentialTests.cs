using Shootdown.Runtime.Tests.Generated;

namespace Shootdown.Runtime.Tests.Differential
{
    /// <summary>Every catalog architecture's generated gather and fast GUP leave the reference's trace on random programs.</summary>
    public sealed class CatalogDifferentialTests
    {
        [Theory]
        [MemberData(nameof(CatalogArchitectures.All), MemberType = typeof(CatalogArchitectures))]
        public void Generated_code_matches_the_reference_on_random_programs(string name)
        {
            var arch = CompiledArchitecture.Of(CatalogArchitectures.Get(name));
            foreach (var seed in new[] { 1, 2, 3, 4 })
            {
                var failure = Differential.Check(arch, seed);
                Assert.True(failure is null, failure);
            }
        }
    }
}
