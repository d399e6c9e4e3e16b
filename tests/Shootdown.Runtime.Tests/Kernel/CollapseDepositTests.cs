using System.Linq;
using Shootdown.Kernel;
using Shootdown.Reference;
using Shootdown.Simulation;
using static Shootdown.Runtime.Tests.Reference.TestMachines;

namespace Shootdown.Runtime.Tests.Kernel
{
    /// <summary>
    /// What khugepaged does with the PTE table a collapse replaced, per path and era (mm/khugepaged.c): the anonymous
    /// <c>collapse_huge_page</c> deposits it under the huge PMD (<c>pgtable_trans_huge_deposit</c>) after
    /// <c>tlb_remove_table_sync_one</c>, and <c>zap_huge_pmd</c> frees it with the huge page; the retract path frees it,
    /// by IPI sync then <c>pte_free</c> in v6.1 (<c>collapse_and_free_pmd</c>) and by <c>pte_free_defer</c> since v6.5.
    /// </summary>
    public sealed class CollapseDepositTests
    {
        private static TableRef PteTable(Machine m, Mm mm, ulong address)
        {
            var table = mm.Pgd;
            for (var level = m.Geometry.Levels - 1; level >= 1; level--)
            {
                var entry = PageTables.Read(m, table, level, m.Geometry.Index(level, address));
                if (!Entry.IsPresent(entry) || (entry & Entry.Leaf) != 0) return TableRef.None;
                table = PageTables.Deref(m, entry, level - 1);
            }
            return table;
        }

        [Fact]
        public void An_anonymous_collapse_deposits_the_old_table_and_the_huge_pmd_zap_frees_it()
        {
            var (m, mm, c0, _) = Boot(Arm64Like());
            var pmd = m.Geometry.EntrySize(1);
            MapAndFault(m, mm, Base, pmd);
            var ptes = PteTable(m, mm, Base);
            Assert.Equal(CollapseResult.Collapsed, Khugepaged.Collapse(c0, mm, Base));
            Assert.True(PteTable(m, mm, Base).IsNone); // a huge leaf now
            Assert.True(m.Rcu.Quiesce());
            Assert.True(PageTables.IsLive(m, ptes)); // not freed: deposited
            Assert.Equal(new[] { ptes }, mm.DepositedTables.ToArray());
            Assert.Empty(FrameAccounting.Unaccounted(m, new[] { mm })); // owned by the mm though no entry points at it

            Assert.Equal(0, Madvise.DontNeed<ReferenceGather>(c0, mm, Base, pmd)); // zap_huge_pmd, zap_deposited_table
            Assert.False(PageTables.IsLive(m, ptes));
            Assert.Empty(mm.DepositedTables);
            Assert.True(m.Rcu.Quiesce());
            Assert.Empty(FrameAccounting.Unaccounted(m, new[] { mm }));
        }

        [Fact]
        public void Exit_frees_a_deposited_table_with_its_huge_pmd()
        {
            var (m, mm, c0, _) = Boot(X86Like());
            var pmd = m.Geometry.EntrySize(1);
            MapAndFault(m, mm, Base, pmd);
            var ptes = PteTable(m, mm, Base);
            Assert.True(Khugepaged.CollapseHugePage(c0, mm, Base));
            AddressSpace.ExitMmap<ReferenceGather>(c0, mm);
            Assert.True(m.Rcu.Quiesce());
            Assert.False(PageTables.IsLive(m, ptes));
            Assert.Empty(FrameAccounting.Unaccounted(m, System.Array.Empty<Mm>()));
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public void Collapse_huge_page_syncs_by_ipi_only_with_rcu_table_freeing(bool rcu)
        {
            // tlb_remove_table_sync_one is an IPI to every CPU under MMU_GATHER_RCU_TABLE_FREE and empty without it.
            var (m, mm, c0, _) = Boot(X86Like(rcu ? GatherOptions.RcuTableFree : GatherOptions.TableFree));
            var pmd = m.Geometry.EntrySize(1);
            MapAndFault(m, mm, Base, pmd);
            m.Trace.Enabled = true;
            Assert.True(Khugepaged.CollapseHugePage(c0, mm, Base));
            var flushes = Count(m, EventKind.IpiFlush);
            var sent = Count(m, EventKind.IpiSent);
            Assert.Equal(1, flushes); // pmdp_collapse_flush
            if (rcu) Assert.True(sent > flushes, $"{sent} IPIs sent for {flushes} flush: no sync");
            else Assert.Equal(flushes, sent);
        }

        [Theory]
        [InlineData(LinuxEra.V6_1, CollapseTableFree.SyncThenFree)]
        [InlineData(LinuxEra.Stable, CollapseTableFree.Defer)]
        [InlineData(LinuxEra.Next, CollapseTableFree.Defer)]
        public void The_retract_path_frees_as_its_era_does(LinuxEra era, CollapseTableFree expected)
        {
            Assert.Equal(expected, Khugepaged.RetractFree(era));
        }
    }
}
