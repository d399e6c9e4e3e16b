using Shootdown.Kernel;
using Shootdown.Reference;
using Shootdown.Simulation;
using static Shootdown.Runtime.Tests.Reference.TestMachines;

namespace Shootdown.Runtime.Tests.Kernel
{
    /// <summary>
    /// <c>CONFIG_PT_RECLAIM</c> (6375e95f381e): MADV_DONTNEED over a whole PTE table frees the emptied table through the
    /// gather (mm/memory.c <c>zap_pte_range</c>, <c>pte_free_tlb</c>) in the eras and configurations that build it.
    /// </summary>
    public sealed class PtReclaimTests
    {
        private static ulong PmdSize(Machine m) => m.Geometry.EntrySize(1);

        // The PTE table the target's PMD entry points at, or none.
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

        [Theory]
        [InlineData(LinuxEra.Stable)]
        [InlineData(LinuxEra.Next)]
        public void Dontneed_over_a_whole_pte_table_frees_it_after_the_grace_period(LinuxEra era)
        {
            var (m, mm, c0, _) = Boot(Arm64Like() with { Linux = era });
            MapAndFault(m, mm, Base, PmdSize(m));
            var ptes = PteTable(m, mm, Base);
            Assert.False(ptes.IsNone);
            m.Trace.Enabled = true;
            Assert.Equal(0, Madvise.DontNeed<ReferenceGather>(c0, mm, Base, PmdSize(m)));
            Assert.True(PteTable(m, mm, Base).IsNone); // pmd_clear
            Assert.True(Count(m, EventKind.BroadcastFlush) > 0);
            Assert.True(m.Rcu.Quiesce());
            Assert.False(PageTables.IsLive(m, ptes)); // tlb_remove_table, then call_rcu
            Assert.Empty(FrameAccounting.Unaccounted(m, new[] { mm }));
            Assert.NotNull(mm.FindVma(Base)); // the VMA stays; a fault builds a new table
            Assert.True(AddressSpace.Fault(c0, mm, Base));
            Assert.False(PteTable(m, mm, Base).IsNone);
        }

        [Fact]
        public void A_zap_that_stopped_for_a_full_batch_rechecks_the_table_and_still_frees_it()
        {
            // zap_pte_table_if_empty: a batch of one makes zap_pte_range drop the lock after every page, so the fast
            // path (zap_empty_pte_table) never runs and the slow path must find the table empty and unhook it.
            var (m, mm, c0, _) = Boot(X86Like());
            AddressSpace.Mmap(m, mm, Base, PmdSize(m), VmaFlags.Write);
            Assert.True(AddressSpace.Populate(c0, mm, Base, Base + 8 * 4096UL));
            m.Faults = Fault.HarmlessBatchOfOne;
            var ptes = PteTable(m, mm, Base);
            Assert.Equal(0, Madvise.DontNeed<ReferenceGather>(c0, mm, Base, PmdSize(m)));
            Assert.True(PteTable(m, mm, Base).IsNone);
            Assert.True(m.Rcu.Quiesce());
            Assert.False(PageTables.IsLive(m, ptes));
            Assert.Empty(FrameAccounting.Unaccounted(m, new[] { mm }));
        }

        [Fact]
        public void Without_pt_reclaim_or_a_whole_table_the_table_stays()
        {
            // v6.1 has no PT_RECLAIM; without RCU table freeing it is not built; powerpc and sparc64 select
            // HAVE_ARCH_TLB_REMOVE_TABLE; and a range short of the PMD (reclaim_pt_is_enabled) is never reclaimed.
            foreach (var (d, whole) in new[]
            {
                (Arm64Like() with { Linux = LinuxEra.V6_1 }, true),
                (X86Like(GatherOptions.TableFree), true),
                (Arm64Like() with { ArchTlbRemoveTable = true }, true),
                (Arm64Like(), false),
            })
            {
                var (m, mm, c0, _) = Boot(d);
                MapAndFault(m, mm, Base, PmdSize(m));
                var ptes = PteTable(m, mm, Base);
                var length = whole ? PmdSize(m) : PmdSize(m) - 4096UL;
                Assert.Equal(0, Madvise.DontNeed<ReferenceGather>(c0, mm, Base, length));
                Assert.Equal(ptes, PteTable(m, mm, Base));
                Assert.True(PageTables.IsLive(m, ptes), d.ToString());
            }
        }

        [Fact]
        public void A_dontneed_across_two_vmas_never_covers_the_table_in_one_zap_and_keeps_it()
        {
            // madvise_dontneed_single_vma zaps one VMA at a time: each zap covers half the table, short of PMD_SIZE.
            var (m, mm, c0, _) = Boot(Arm64Like());
            var half = PmdSize(m) / 2;
            MapAndFault(m, mm, Base, half);
            MapAndFault(m, mm, Base + half, half, VmaFlags.Write | VmaFlags.Exec);
            var ptes = PteTable(m, mm, Base);
            Assert.Equal(0, Madvise.DontNeed<ReferenceGather>(c0, mm, Base, PmdSize(m)));
            Assert.Equal(ptes, PteTable(m, mm, Base));
        }
    }
}
