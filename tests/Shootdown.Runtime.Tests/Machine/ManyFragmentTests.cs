using System.Linq;
using Shootdown.Archs.Catalog;
using Shootdown.Kernel;
using Shootdown.Simulation;

namespace Shootdown.Runtime.Tests.MachineTests
{
    /// <summary>
    /// powerpc64 radix with 64 KiB pages: 256 PTE fragments (RADIX_PTE_FRAG_NR) and 16 PMD fragments (RADIX_PMD_FRAG_NR)
    /// to a page, counted as pt_frag_refcount counts them, and pte_free_defer's one rcu_head per page of 256.
    /// </summary>
    public sealed class ManyFragmentTests
    {
        private static Machine Make(int frames = 48) => Ppc64Radix64k.Ops.CreateMachine(cpus: 2, frames: frames);

        [Fact]
        public void The_geometry_is_radix_64k()
        {
            var g = Make().Geometry;
            Assert.Equal((256, 16, 1, 1), (g.Fragments(0), g.Fragments(1), g.Fragments(2), g.Fragments(3)));
            Assert.Equal((32, 512, 512, 8192), (g.Entries(0), g.Entries(1), g.Entries(2), g.Entries(3))); // 13/9/9/5
            Assert.Equal((256, 4096), (g.TableBytes(0), g.TableBytes(1)));
            Assert.Equal((21, 30, 39), (g.Shift(1), g.Shift(2), g.Shift(3)));
            Assert.Equal(52, g.AddressBits);
        }

        [Fact]
        public void Two_hundred_fifty_six_pte_tables_share_a_page_that_returns_when_the_last_goes()
        {
            var m = Make();
            var free = m.Memory.FreeCount;
            var tables = Enumerable.Range(0, 256).Select(_ => m.Tables.Allocate(0)).ToArray();
            Assert.Single(tables.Select(t => t.Pfn).Distinct());
            Assert.Equal(Enumerable.Range(0, 256), tables.Select(t => t.Fragment).Order());
            Assert.Equal(free - 1, m.Memory.FreeCount);
            Assert.Equal((256, 0), m.Tables.FragmentState(tables[0].Pfn));
            var next = m.Tables.Allocate(0); // the page is full: the 257th table takes a new one
            Assert.NotEqual(tables[0].Pfn, next.Pfn);

            // Each fragment is its own 32 entries: a write to the last entry of one is not the first of the next.
            PageTables.Write(m, tables[100], 0, 31, PageTables.PageEntry(m, next.Pfn, 0x1));
            Assert.Equal(0UL, PageTables.Read(m, tables[101], 0, 0));
            Assert.NotEqual(0UL, PageTables.Read(m, tables[100], 0, 31));

            for (var i = 0; i < 255; i++) m.Tables.Free(tables[i]);
            Assert.Equal((1, 0), m.Tables.FragmentState(tables[0].Pfn)); // pt_frag_refcount 1: the page stays
            Assert.Equal(FrameUse.PageTable, m.Memory[tables[0].Pfn].Use);
            Assert.True(PageTables.IsLive(m, tables[255]));
            m.Tables.Free(tables[255]);
            Assert.Equal(FrameUse.Free, m.Memory[tables[0].Pfn].Use);
            Assert.True(m.Violations.IsEmpty, string.Join("; ", m.Violations.All));
        }

        [Fact]
        public void Sixteen_pmd_tables_share_a_page_and_entries_point_at_the_right_fragment()
        {
            var m = Make();
            var pmds = Enumerable.Range(0, 16).Select(_ => m.Tables.Allocate(1)).ToArray();
            Assert.Single(pmds.Select(t => t.Pfn).Distinct());
            Assert.NotEqual(pmds[0].Pfn, m.Tables.Allocate(1).Pfn);
            var pte = m.Tables.Allocate(0);
            Assert.NotEqual(pmds[0].Pfn, pte.Pfn); // PTE and PMD fragments never share a page
            foreach (var (table, level) in new[] { (pmds[15], 1), (pmds[3], 1), (pte, 0) })
                Assert.Equal(table, PageTables.Deref(m, PageTables.TableEntry(m, table), level));
            PageTables.Write(m, pmds[3], 1, 511, PageTables.TableEntry(m, pte));
            Assert.Equal(0UL, PageTables.Read(m, pmds[4], 1, 0));
            Assert.Equal(pte, PageTables.Deref(m, PageTables.Read(m, pmds[3], 1, 511), 0));
            foreach (var pmd in pmds.Take(15)) m.Tables.Free(pmd);
            Assert.Equal(FrameUse.PageTable, m.Memory[pmds[0].Pfn].Use);
            m.Tables.Free(pmds[15]);
            Assert.Equal(FrameUse.Free, m.Memory[pmds[0].Pfn].Use);
            Assert.True(m.Violations.IsEmpty, string.Join("; ", m.Violations.All));
        }

        [Fact]
        public void Pte_free_defer_of_255_fragments_queues_one_rcu_head_when_the_last_one_goes()
        {
            // pte_free_defer: folio_set_active, pte_fragment_free; the decrement to zero makes the page's one call_rcu.
            var m = Make();
            var c0 = m.Cpu(0);
            var tables = Enumerable.Range(0, 256).Select(_ => m.Tables.Allocate(0)).ToArray();
            var pfn = tables[0].Pfn;
            m.Trace.Enabled = true;
            for (var i = 0; i < 255; i++) PteFreeDefer.Defer(c0, tables[i]);
            Assert.Equal(0, m.Trace.Count(EventKind.RcuQueued)); // one fragment is still a table
            Assert.Equal((1, 255), m.Tables.FragmentState(pfn));
            Assert.True(m.Tables.IsPending(pfn, 254));
            var fresh = m.Tables.Allocate(0);
            Assert.NotEqual(pfn, fresh.Pfn); // deferred fragments are not handed out again

            m.Tables.Free(tables[255]);
            TableBatch.FragmentFreed(c0, tables[255]);
            Assert.Equal(1, m.Trace.Count(EventKind.RcuQueued)); // one rcu_head for the page, not 255
            Assert.Equal(1, PteFreeDefer.QueuedPages(m));
            m.Cpu(1).DisableIrqs(); // an interrupts-off walker holds the grace period off
            m.Rcu.Quiesce();
            Assert.Equal(FrameUse.PageTable, m.Memory[pfn].Use);
            Assert.True(PageTables.IsLive(m, tables[7]), "a deferred fragment stays readable until its grace period ends");
            m.Cpu(1).EnableIrqs();
            m.Rcu.Quiesce();
            Assert.Equal(FrameUse.Free, m.Memory[pfn].Use);
            Assert.Equal(0, PteFreeDefer.QueuedPages(m));
            Assert.True(m.Violations.IsEmpty, string.Join("; ", m.Violations.All));
        }

        [Fact]
        public void Munmap_across_pte_and_pmd_fragments_frees_every_table_and_leaks_nothing()
        {
            var m = Make(frames: 64);
            var mm = m.CreateMm()!;
            m.Cpu(0).SwitchTo(mm);
            m.Cpu(1).SwitchTo(mm);
            var baseline = m.Memory.InUse;
            var g = m.Geometry;
            // Three PTE tables (2 MiB each) under two PMD tables (1 GiB each): fragments of two pages.
            var start = g.TableSpan(1) - 2 * g.TableSpan(0);
            var length = 3 * g.TableSpan(0);
            AddressSpace.Mmap(m, mm, start, length, VmaFlags.Write);
            for (var a = start; a < start + length; a += g.TableSpan(0)) Assert.True(AddressSpace.Fault(m.Cpu(0), mm, a));
            foreach (var cpu in m.Cpus)
                for (var a = start; a < start + length; a += g.TableSpan(0)) m.Mmu.Access(cpu, mm, a);

            Ppc64Radix64k.Ops.Munmap(m.Cpu(0), mm, start, length);
            m.Rcu.Quiesce();

            Assert.Equal(baseline, m.Memory.InUse);
            Assert.True(m.Violations.IsEmpty, string.Join("; ", m.Violations.All));
        }
    }
}
