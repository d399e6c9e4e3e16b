using System.Linq;
using Shootdown.Archs.Catalog;
using Shootdown.Explorer;

namespace Shootdown.Runtime.Tests.Explorer
{
    /// <summary>
    /// Catalog code on the explorer's machine. That every catalog architecture is proved on every scenario that applies
    /// is <c>Shootdown.Package.Tests.Check.CatalogCheckTests</c>, which runs <c>shootdown check</c> itself.
    /// </summary>
    public sealed class CatalogExplorationTests
    {
        [Fact]
        public void The_generated_subject_of_an_architecture_without_fast_gup_pins_nothing()
        {
            var ops = ArchitectureCatalog.All.First(o => !o.Descriptor.FastGup);
            var subject = ops;
            var (m, mm) = ScenarioSetup.Boot(ops.Descriptor, 1);
            ScenarioSetup.MapAndFault(m, mm, ScenarioSetup.Target(m), (ulong)m.Geometry.PageSize, 1);
            Assert.Equal(0, ScenarioSetup.GupAndPut(subject, m.Cpu(0), mm, ScenarioSetup.Target(m), 1));
        }
    }
}
