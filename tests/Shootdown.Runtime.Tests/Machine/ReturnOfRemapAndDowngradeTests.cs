using Shootdown.Archs.Catalog;
using Shootdown.Explorer;
using Shootdown.Kernel;
using Shootdown.Runtime.Tests.Generated;
using Shootdown.Simulation;

namespace Shootdown.Runtime.Tests.MachineTests
{
    /// <summary>
    /// The return guarantee (Machine/ReturnGuarantee.cs) of mprotect, MADV_FREE and mremap on every catalog architecture,
    /// through its generated gather: cpu1 caches a writable translation, cpu0 makes the call, and at its return cpu1
    /// must hold nothing the call promised away.
    /// </summary>
    public class ReturnOfRemapAndDowngradeTests
    {
        private static (Machine M, Mm Mm, ArchitectureOps Ops, ulong Page) TwoCpusWriting(string arch, int pages)
        {
            var ops = ArchitectureCatalog.Find(arch)!;
            var (m, mm) = ScenarioSetup.Boot(ops.Descriptor, 2);
            var page = (ulong)m.Geometry.PageSize;
            ScenarioSetup.MapAndFault(m, mm, ScenarioSetup.Target(m), (ulong)pages * page, pages);
            for (var i = 0UL; i < (ulong)pages; i++)
                Assert.Equal(AccessResult.Ok, m.Mmu.Access(m.Cpu(1), mm, ScenarioSetup.Target(m) + i * page, write: true));
            return (m, mm, ops, page);
        }

        private static void AssertClean(Machine m) => Assert.True(m.Violations.IsEmpty, string.Join("; ", m.Violations.All));

        [Theory]
        [MemberData(nameof(CatalogArchitectures.All), MemberType = typeof(CatalogArchitectures))]
        public void Mprotect_read_only_leaves_no_cpu_writing_through_an_entry_cached_before_it(string arch)
        {
            var (m, mm, ops, page) = TwoCpusWriting(arch, 2);
            Assert.Equal(0, ops.Mprotect(m.Cpu(0), mm, ScenarioSetup.Target(m), 2 * page, VmaFlags.None));
            AssertClean(m); // change_pte_range's tlb_flush_pte_range: tlb_finish_mmu flushed cpu1
            Assert.Equal(AccessResult.Fault, m.Mmu.Access(m.Cpu(1), mm, ScenarioSetup.Target(m) + page, write: true));
            Assert.Equal(AccessResult.Ok, m.Mmu.Access(m.Cpu(1), mm, ScenarioSetup.Target(m) + page)); // still mapped, read-only
            Assert.Equal(0, ops.Mprotect(m.Cpu(0), mm, ScenarioSetup.Target(m), 2 * page, VmaFlags.Write));
            Assert.Equal(AccessResult.Ok, m.Mmu.Access(m.Cpu(1), mm, ScenarioSetup.Target(m), write: true));
            AssertClean(m);
        }

        [Fact]
        public void A_read_only_entry_cached_before_a_downgrade_may_stay_but_a_writable_one_may_not()
        {
            var (m, mm, _, page) = TwoCpusWriting("x86-64", 1);
            var call = m.Returns.Enter("mprotect", mm, ScenarioSetup.Target(m), ScenarioSetup.Target(m) + page, ReturnPromise.NoWrite);
            m.Returns.Return(m.Cpu(0), call); // nothing flushed: cpu1's writable entry is still there
            Assert.Equal(ViolationKind.StaleAfterReturn, Assert.Single(m.Violations.All).Kind);
            Assert.Contains("writable", Assert.Single(m.Violations.All).Detail);


            // A read-only mapping: cpu1's entry cannot write, so a downgrade that leaves it breaks nothing.
            var ops = ArchitectureCatalog.Find("x86-64")!;
            var (ro, rmm) = ScenarioSetup.Boot(ops.Descriptor, 2);
            ScenarioSetup.MapAndFault(ro, rmm, ScenarioSetup.Target(ro), page, 1, VmaFlags.None);
            Assert.Equal(AccessResult.Ok, ro.Mmu.Access(ro.Cpu(1), rmm, ScenarioSetup.Target(ro)));
            var downgrade = ro.Returns.Enter("mprotect", rmm, ScenarioSetup.Target(ro), ScenarioSetup.Target(ro) + page, ReturnPromise.NoWrite);
            ro.Returns.Return(ro.Cpu(0), downgrade);
            Assert.Equal(AccessResult.Ok, ro.Mmu.Access(ro.Cpu(1), rmm, ScenarioSetup.Target(ro)));
            Assert.Equal(AccessResult.Fault, ro.Mmu.Access(ro.Cpu(1), rmm, ScenarioSetup.Target(ro), write: true));
            AssertClean(ro);
        }

        [Theory]
        [MemberData(nameof(CatalogArchitectures.All), MemberType = typeof(CatalogArchitectures))]
        public void Madv_free_leaves_no_cpu_writing_through_an_entry_cached_before_it(string arch)
        {
            var (m, mm, ops, page) = TwoCpusWriting(arch, 2);
            Assert.Equal(0, ops.Free(m.Cpu(0), mm, ScenarioSetup.Target(m), 2 * page));
            AssertClean(m); // madvise_free_pte_range's tlb_remove_tlb_entry: tlb_finish_mmu flushed cpu1
            Assert.False(m.Cpu(1).Tlb.TryLookup(mm.Id, ScenarioSetup.Target(m), out _));
            Assert.Equal(AccessResult.Ok, m.Mmu.Access(m.Cpu(1), mm, ScenarioSetup.Target(m), write: true)); // the page stays
            AssertClean(m);
        }

        [Fact]
        public void Madv_free_refuses_a_pfnmap_vma_and_promises_nothing_there()
        {
            var ops = ArchitectureCatalog.Find("x86-64")!;
            var (m, mm) = ScenarioSetup.Boot(ops.Descriptor, 2);
            var page = (ulong)m.Geometry.PageSize;
            ScenarioSetup.MapAndFault(m, mm, ScenarioSetup.Target(m), page, 1, VmaFlags.Write | VmaFlags.PfnMap);
            Assert.Equal(AccessResult.Ok, m.Mmu.Access(m.Cpu(1), mm, ScenarioSetup.Target(m), write: true));
            Assert.Equal(-Errno.EINVAL, ops.Free(m.Cpu(0), mm, ScenarioSetup.Target(m), page));
            Assert.Equal(AccessResult.Ok, m.Mmu.Access(m.Cpu(1), mm, ScenarioSetup.Target(m), write: true));
            AssertClean(m);
        }

        // The old range moves within its PTE table, beside a VMA that keeps the table: the unmap of the old range frees
        // no table, so its gather flushes nothing and only move_ptes' flush_tlb_range can take cpu1's entries.
        [Theory]
        [MemberData(nameof(CatalogArchitectures.All), MemberType = typeof(CatalogArchitectures))]
        public void Mremap_leaves_nothing_translating_the_old_range_through_an_entry_cached_before_it(string arch)
        {
            var (m, mm, ops, page) = TwoCpusWriting(arch, 2);
            var keeper = ScenarioSetup.Target(m) + 4 * page;
            var moved = ScenarioSetup.Target(m) + 8 * page;
            ScenarioSetup.MapAndFault(m, mm, keeper, page, 1);
            Assert.Equal(0, ops.Mremap(m.Cpu(0), mm, ScenarioSetup.Target(m), 2 * page, moved));
            AssertClean(m);
            Assert.Equal(AccessResult.Fault, m.Mmu.Access(m.Cpu(1), mm, ScenarioSetup.Target(m)));
            Assert.Equal(AccessResult.Ok, m.Mmu.Access(m.Cpu(1), mm, moved + page, write: true));
            ops.Munmap(m.Cpu(0), mm, moved, 2 * page); // the pages go: nothing may reach them through the old address
            Assert.Equal(AccessResult.Fault, m.Mmu.Access(m.Cpu(1), mm, ScenarioSetup.Target(m) + page, write: true));
            AssertClean(m);
        }

        [Theory]
        [InlineData("x86-64")]
        [InlineData("arm64")]
        public void Mremap_to_another_pte_table_moves_the_pages_and_frees_the_old_table(string arch)
        {
            var (m, mm, ops, page) = TwoCpusWriting(arch, 2);
            var pfn = m.Cpu(1).Tlb.TryLookup(mm.Id, ScenarioSetup.Target(m), out var entry) ? entry.Pfn : 0;
            var moved = ScenarioSetup.Target(m) + 2 * ScenarioSetup.PmdSize(m);
            Assert.Equal(0, ops.Mremap(m.Cpu(0), mm, ScenarioSetup.Target(m), 2 * page, moved));
            AssertClean(m);
            Assert.False(Exec.FindPte(m, mm, ScenarioSetup.Target(m), allocate: false, m.Cpu(0), out _, out _)); // free_pgtables took the old table
            Assert.Equal(AccessResult.Ok, m.Mmu.Access(m.Cpu(1), mm, moved, write: true));
            Assert.True(m.Cpu(1).Tlb.TryLookup(mm.Id, moved, out var now));
            Assert.Equal(pfn, now.Pfn); // the same page, at the new address
            Assert.Equal(-Errno.EINVAL, ops.Mremap(m.Cpu(0), mm, moved, 2 * page, moved + page));
            Assert.Equal(-Errno.EFAULT, ops.Mremap(m.Cpu(0), mm, ScenarioSetup.Target(m), 2 * page, moved + 4 * page));
            AssertClean(m);
        }
    }
}
