using Shootdown.Explorer;
using Shootdown.Runtime.Tests.Generated;

namespace Shootdown.Runtime.Tests.Explorer
{
    /// <summary>Where the scenarios put the contended mapping and its neighbour, on every catalog geometry.</summary>
    public sealed class ScenarioPlacementTests
    {
        [Theory]
        [MemberData(nameof(CatalogArchitectures.All), MemberType = typeof(CatalogArchitectures))]
        public void Target_and_neighbour_are_pmd_aligned_in_different_pte_tables_of_one_pmd_table_below_task_size(string name)
        {
            var arch = CatalogArchitectures.Get(name);
            var (m, _) = ScenarioSetup.Boot(arch.Descriptor, 1);
            var g = m.Geometry;
            var pmd = ScenarioSetup.PmdSize(m);
            var target = ScenarioSetup.Target(m);
            var neighbour = ScenarioSetup.Neighbour(m);
            Assert.Equal(0UL, target % pmd);
            Assert.Equal(0UL, neighbour % pmd);
            Assert.True(neighbour >= target + pmd, $"{name}: the neighbour {neighbour:x} shares the target's PTE table");
            // Both whole spans fit: the collapse scenarios map the target's, the fragment one the neighbour's.
            Assert.True(neighbour + pmd <= g.TaskSize, $"{name}: the neighbour's span passes TASK_SIZE {g.TaskSize:x}");
            for (var level = 2; level < g.Levels; level++)
                Assert.Equal(target >> g.Shift(level), neighbour >> g.Shift(level)); // one PMD table
        }

        [Theory]
        [MemberData(nameof(CatalogArchitectures.All), MemberType = typeof(CatalogArchitectures))]
        public void Geometries_with_room_keep_the_target_at_1_GiB_and_the_neighbour_four_spans_above(string name)
        {
            // What the explored executions, and so the witness ids of docs/races, were recorded with.
            var (m, _) = ScenarioSetup.Boot(CatalogArchitectures.Get(name).Descriptor, 1);
            var pmd = ScenarioSetup.PmdSize(m);
            const ulong gib = 1UL << 30;
            if (gib % pmd != 0 || gib + 5 * pmd > m.Geometry.TaskSize)
            {
                // Only 2 GiB spans in a 32-bit space (powerpc-44x-256k): the two spans there are.
                Assert.Equal((0UL, pmd), (ScenarioSetup.Target(m), ScenarioSetup.Neighbour(m)));
                Assert.Equal(2 * pmd, m.Geometry.TaskSize);
                return;
            }
            Assert.Equal((gib, gib + 4 * pmd), (ScenarioSetup.Target(m), ScenarioSetup.Neighbour(m)));
        }
    }
}
