using System;
using System.Linq;
using Shootdown.Simulation;

namespace Shootdown.Runtime.Tests.MachineTests
{
    public class PageTablesTests
    {
        [Theory]
        [InlineData(2, 32, 32)]
        [InlineData(3, 64, 32)]
        [InlineData(4, 64, 64)]
        [InlineData(5, 64, 64)]
        public void Entries_round_trip_at_every_level_and_width(int levels, int pteBits, int wordBits)
        {
            var d = Machines.Describe("t", Invalidation.Ipi, levels, pteBits, wordBits, walker: WalkerKind.WalksTables);
            var m = new Machine(d, cpus: 1, frames: 512);
            var mm = m.CreateMm()!;
            var address = m.Geometry.TaskSize / 2 + 0x5000;
            var pfn = Machines.MapPage(m, mm, address);
            Assert.Equal(AccessResult.Ok, m.Mmu.Access(m.Cpu(0), mm, address));
            Assert.True(m.Cpu(0).Tlb.TryLookup(mm.Id, address, out var cached));
            Assert.Equal(pfn, cached.Pfn);
            var pte = Machines.PteTable(m, mm, address);
            var old = PageTables.Clear(m, pte, 0, m.Geometry.Index(0, address));
            Assert.Equal(pfn, PageTables.Pfn(m, old));
            Assert.Equal(0UL, PageTables.Read(m, pte, 0, m.Geometry.Index(0, address)));
            Assert.True(m.Violations.IsEmpty);
        }

        [Fact]
        public void Whole_entry_loads_match_Read_and_are_refused_for_a_pte_the_machine_loads_in_halves()
        {
            var m = new Machine(Machines.Pae, cpus: 1, frames: 256);
            var pmd = m.Tables.Allocate(1);
            var pte = m.Tables.Allocate(0);
            var entry = PageTables.PageEntry(m, m.Memory.FirstHighFrame + 1, Entry.Write);
            PageTables.Write(m, pmd, 1, 2, PageTables.TableEntry(m, pte));
            PageTables.Write(m, pte, 0, 3, entry);
            Assert.Equal(PageTables.Read(m, pmd, 1, 2), TableCursor.Open(m, pmd, 1).LoadOnce(2));
            Assert.Throws<InvalidOperationException>(() => TableCursor.Open(m, pte, 0));
            var wide = new Machine(Machines.IpiX86, cpus: 1, frames: 256);
            var table = wide.Tables.Allocate(0);
            PageTables.Write(wide, table, 0, 5, PageTables.PageEntry(wide, 7, Entry.Write));
            Assert.Equal(PageTables.Read(wide, table, 0, 5), TableCursor.Open(wide, table, 0).LoadOnce(5));
        }

        [Theory]
        [InlineData("x86-pae", 4, 32)]
        [InlineData("arm-lpae", 4, 32)]
        [InlineData("x86-64", 512, 57)]
        [InlineData("arm64", 512, 48)]
        [InlineData("powerpc64-radix", 8192, 52)] // radix-4k.h: 13/9/9/9
        [InlineData("powerpc64-hash", 256, 52)] // hash-64k.h: 8/10/10/8
        [InlineData("powerpc64-radix-64k", 8192, 52)] // radix-64k.h: 13/9/9/5
        [InlineData("sparc64", 1024, 53)]
        [InlineData("s390x", 1024, 63)] // a 2048-entry region-first table, of which user space below 2^63 uses half
        public void The_top_table_has_as_many_entries_as_the_virtual_address_has_bits_left(string arch, int pgdEntries, int addressBits)
        {
            var g = new PageTableGeometry(Shootdown.Archs.Catalog.ArchitectureCatalog.Find(arch)!.Descriptor);
            Assert.Equal(pgdEntries, g.Entries(g.Levels - 1)); // PTRS_PER_PGD: 4 with PAE and LPAE
            Assert.Equal(addressBits, g.AddressBits);
            Assert.Equal(1UL << addressBits, g.EntrySize(g.Levels - 1) * (ulong)pgdEntries);
        }

        [Fact]
        public void A_table_cursor_loads_as_Read_does_and_reports_a_table_freed_under_it()
        {
            var m = new Machine(Machines.S390, cpus: 1, frames: 256);
            var first = m.Tables.Allocate(0);
            var second = m.Tables.Allocate(0); // the other fragment of the same page
            Assert.Equal(first.Pfn, second.Pfn);
            PageTables.Write(m, second, 0, 5, PageTables.PageEntry(m, 9, Entry.Write));
            var cursor = TableCursor.Open(m, second, 0);
            Assert.Equal(PageTables.Read(m, second, 0, 5), cursor.LoadOnce(5));
            Assert.Equal(0UL, TableCursor.Open(m, first, 0).LoadOnce(5));
            Assert.Throws<ArgumentOutOfRangeException>(() => cursor.LoadOnce(m.Geometry.Entries(0)));
            Assert.True(m.Violations.IsEmpty);
            m.Tables.Free(second);
            cursor.LoadOnce(5);
            Assert.Equal(ViolationKind.ReadFreedTable, Assert.Single(m.Violations.All).Kind);
            Assert.Throws<InvalidOperationException>(() => TableCursor.Open(new Machine(Machines.Pae, cpus: 1, frames: 64), first, 0));
        }

        [Fact]
        public void S390_has_256_entry_pte_tables_and_16_KiB_region_and_segment_tables_of_four_frames()
        {
            var d = Shootdown.Archs.Catalog.ArchitectureCatalog.Find("s390x")!.Descriptor;
            var m = new Machine(d, cpus: 1, frames: 256);
            var g = m.Geometry;
            Assert.Equal(256, g.Entries(0)); // PTRS_PER_PTE
            Assert.Equal(20, g.Shift(1)); // PMD_SHIFT: 1 MiB segments
            Assert.Equal(2048, g.Entries(1)); // PTRS_PER_PMD
            Assert.Equal(31, g.Shift(2)); // PUD_SHIFT: 2 GiB region-third entries
            Assert.Equal(16384, g.TableBytes(3));
            var free = m.Memory.CountByUse()[FrameUse.Free];
            var segment = m.Tables.Allocate(1);
            Assert.Equal(free - 4, m.Memory.CountByUse()[FrameUse.Free]); // CRST_ALLOC_ORDER 2: one compound of four frames
            Assert.Equal(4, g.TableFrames(1));
            PageTables.Write(m, segment, 1, 2047, PageTables.TableEntry(m, m.Tables.Allocate(0)));
            Assert.NotEqual(0UL, PageTables.Read(m, segment, 1, 2047));
            Assert.Equal(free - 5, m.Memory.CountByUse()[FrameUse.Free]); // the PTE table: one frame
            m.Tables.Free(segment);
            Assert.Equal(free - 1, m.Memory.CountByUse()[FrameUse.Free]);
            Assert.True(m.Violations.IsEmpty);
            Assert.Null(m.Memory.CheckFreeList());
            var fragments = Shootdown.Archs.Catalog.ArchitectureCatalog.Find("s390x-2k")!.Descriptor;
            Assert.Equal(256, new PageTableGeometry(fragments).Entries(0)); // a 2 KiB half of a page
        }

        [Fact]
        public void Powerpc64_hash_translates_52_bits_through_tables_of_256_1024_1024_and_256_entries()
        {
            var m = new Machine(Shootdown.Archs.Catalog.ArchitectureCatalog.Find("powerpc64-hash")!.Descriptor, cpus: 1, frames: 64);
            var g = m.Geometry;
            Assert.Equal(new[] { 256, 1024, 1024, 256 }, Enumerable.Range(0, 4).Select(g.Entries));
            Assert.Equal(24, g.Shift(1)); // H_PMD_SHIFT: 16 MiB
            Assert.Equal(34, g.Shift(2)); // H_PUD_SHIFT
            Assert.Equal(52, g.AddressBits); // H_PGTABLE_RANGE
            Assert.Equal(1, g.TableFrames(1)); // an 8 KiB table in a page of its own
            Assert.Equal(8192, m.Memory.TableWords(m.Tables.Allocate(2).Pfn).Length); // a 64 KiB page of 8-byte words
        }

        [Fact]
        public void A_table_cursor_tells_a_table_freed_and_handed_out_again_from_the_new_one()
        {
            var m = new Machine(Machines.IpiX86, cpus: 1, frames: 256);
            var old = m.Tables.Allocate(1);
            var stale = TableCursor.Open(m, old, 1);
            m.Tables.Free(old);
            var reused = m.Tables.Allocate(1);
            Assert.Equal(old.Pfn, reused.Pfn); // LIFO: the same frame, another incarnation
            TableCursor.Open(m, reused, 1).LoadOnce(3);
            Assert.True(m.Violations.IsEmpty);
            stale.LoadOnce(3);
            Assert.Equal(ViolationKind.ReadFreedTable, Assert.Single(m.Violations.All).Kind);
            Assert.Throws<ArgumentOutOfRangeException>(() => TableCursor.Open(m, new TableRef(reused.Pfn, 1, reused.Incarnation), 0));
        }

        [Fact]
        public void Bad_indexes_and_levels_throw()
        {
            var m = new Machine(Machines.IpiX86, cpus: 1, frames: 64);
            var t = m.Tables.Allocate(0);
            Assert.Throws<ArgumentOutOfRangeException>(() => PageTables.Read(m, t, 0, 512));
            Assert.Throws<ArgumentOutOfRangeException>(() => PageTables.Write(m, t, 4, 0, 0));
            Assert.Throws<ArgumentException>(() => PageTables.Read(m, TableRef.None, 0, 0));
        }

        [Fact]
        public void A_huge_pmd_leaf_translates_base_page_i_to_frame_head_plus_i()
        {
            var m = new Machine(Machines.IpiX86, cpus: 1, frames: 4096);
            var mm = m.CreateMm()!;
            var cpu = m.Cpu(0);
            var address = 1UL << 30;
            Machines.PteTable(m, mm, address); // pgd -> pud -> pmd -> pte for the first 2 MiB
            var pmd = Machines.PmdTable(m, mm, address);
            var head = m.Memory.TryAllocateCompound(FrameUse.Data, 9);
            Assert.NotEqual(0, head);
            PageTables.Write(m, pmd, 1, m.Geometry.Index(1, address + (2UL << 20)), PageTables.PageEntry(m, head, Entry.Leaf | Entry.Write));
            Assert.Equal(AccessResult.Ok, m.Mmu.Access(cpu, mm, address + (2UL << 20) + 0x1F_F000));
            Assert.True(cpu.Tlb.TryLookup(mm.Id, address + (2UL << 20) + 0x1F_F000, out var e));
            Assert.Equal((head + 0x1FF, 1UL << 21), (e.Pfn, e.Size));
            Assert.Equal(AccessResult.Ok, m.Mmu.Access(cpu, mm, address + (2UL << 20)));
            Assert.True(cpu.Tlb.TryLookup(mm.Id, address + (2UL << 20), out e));
            Assert.Equal(head, e.Pfn);
            Assert.True(m.Violations.IsEmpty, string.Join("; ", m.Violations.All.Select(v => v.ToString())));
        }

        [Theory]
        [InlineData(0x1000UL, 0x9000UL, 0x200000UL, 0x9000UL)]         // the range ends first
        [InlineData(0x1000UL, 0x400000UL, 0x200000UL, 0x200000UL)]     // the next boundary comes first
        [InlineData(0x200000UL, 0x400000UL, 0x200000UL, 0x400000UL)]   // from a boundary: one whole entry
        [InlineData(0xFFFF_FFFF_FFE0_0000UL, 0UL, 0x200000UL, 0UL)]   // the last entry: the boundary wraps to 0, the end of a walk to the top
        [InlineData(0xFFFF_FFFF_FFE0_1000UL, 0xFFFF_FFFF_FFF0_0000UL, 0x200000UL, 0xFFFF_FFFF_FFF0_0000UL)] // a wrapped boundary does not hide the end
        public void AddrEnd_steps_to_the_next_entry_boundary_or_the_end_of_the_range_as_pmd_addr_end_does(ulong addr, ulong end, ulong size, ulong expected)
        {
            Assert.Equal(expected, PageTableGeometry.AddrEnd(addr, end, size));
        }
    }
}
