using System;
using System.Threading;
using Shootdown.Archs.Catalog;
using Shootdown.Simulation;
using static Shootdown.Runtime.Tests.Generated.CatalogArchitectures;

namespace Shootdown.Runtime.Tests.Generated
{
    /// <summary>
    /// The GUP_GET_PXX_LOW_HIGH read of the architectures whose PTE is wider than their word: what the read must produce,
    /// and every interleaving of it with a writer that stores the halves the way Linux does.
    /// </summary>
    public sealed class SplitReadTests
    {
        private const ulong Base = 1UL << 30;

        [Theory]
        [MemberData(nameof(CatalogArchitectures.WithSplitRead), MemberType = typeof(CatalogArchitectures))]
        public void The_generated_read_retries_while_the_low_half_changes(string name)
        {
            var fastGup = Source(name, "FastGup");
            Assert.Contains("ReadLowHigh(m, table, 0, index); // ptep_get_lockless", fastGup);
            Assert.Contains("ReadLowHigh(m, table, 1, index); // pmdp_get_lockless", fastGup);
            Assert.Contains("} while (low != global::Shootdown.Simulation.PageTables.ReadLow(m, table, level, index));", fastGup);
        }

        [Theory]
        [MemberData(nameof(CatalogArchitectures.WithFastGup), MemberType = typeof(CatalogArchitectures))]
        public void A_pte_that_fits_in_a_word_is_one_load(string name)
        {
            if (Get(name).Descriptor.PteWiderThanWord) return;
            Assert.DoesNotContain("ReadLow", Source(name, "FastGup"));
        }

        [Theory]
        [MemberData(nameof(CatalogArchitectures.WithSplitRead), MemberType = typeof(CatalogArchitectures))]
        public void Both_halves_make_the_entry(string name)
        {
            var arch = Get(name);
            var (m, mm) = Boot(arch);
            var page = (ulong)m.Geometry.PageSize;
            AddressSpace.Mmap(m, mm, Base, page, VmaFlags.Write);
            Assert.True(AddressSpace.Fault(m.Cpu(0), mm, Base));
            var pte = LeafEntry(m, mm, Base, out var table, out var level, out var index);
            var pfn = PageTables.Pfn(m, pte);
            var refs = m.Memory[pfn].RefCount;

            // Same low half, a high half that puts the frame beyond this machine: nothing may be pinned.
            PageTables.Write(m, table, level, index, pte | (1UL << 44));
            Assert.Equal(0, arch.GupFast(m.Cpu(0), mm, Base, write: true, new int[1]));
            Assert.Equal(refs, m.Memory[pfn].RefCount);

            PageTables.Write(m, table, level, index, pte);
            var pages = new int[1];
            Assert.Equal(1, arch.GupFast(m.Cpu(0), mm, Base, write: true, pages));
            Assert.Equal(pfn, pages[0]);
            m.Memory.Put(pfn);
        }

        [Theory]
        [MemberData(nameof(CatalogArchitectures.WithSplitRead), MemberType = typeof(CatalogArchitectures))]
        public void A_pte_cleared_and_set_half_by_half_never_pins_a_page_it_did_not_map(string name)
        {
            // CPU 0 clears the PTE (native_ptep_get_and_clear: low half first) and installs another page (native_set_pte:
            // high half, smp_wmb, low half) while CPU 1 runs the generated gup_fast. In every interleaving the split read
            // sees the old entry, no entry, or the new one: never a high half of one with the low half of the other.
            var arch = Get(name);
            var pinned = new System.Collections.Generic.HashSet<int>();
            int old = 0, replacement = 0;
            var results = System.Linq.Enumerable.ToList(ScheduleExplorer.PreemptionBounded(() =>
            {
                var (m, mm) = Boot(arch, frames: 64);
                var page = (ulong)m.Geometry.PageSize;
                AddressSpace.Mmap(m, mm, Base, page, VmaFlags.Write);
                Assert.True(AddressSpace.Fault(m.Cpu(0), mm, Base));
                var pte = LeafEntry(m, mm, Base, out var table, out var level, out var index);
                old = PageTables.Pfn(m, pte);
                replacement = m.Memory.TryAllocate(FrameUse.Data);
                Assert.NotEqual(m.Memory.PhysicalAddress(old) >> 32, m.Memory.PhysicalAddress(replacement) >> 32);
                var scenario = new Scenario()
                    .On(0, cpu =>
                    {
                        PageTables.Clear(m, table, level, index);
                        PageTables.Write(m, table, level, index, PageTables.PageEntry(m, replacement, Entry.Write | Entry.Present));
                    })
                    .On(1, cpu =>
                    {
                        var pages = new int[1];
                        if (arch.GupFast(cpu, mm, Base, write: true, pages) == 0) return;
                        lock (pinned) pinned.Add(pages[0]);
                        m.Memory.Put(pages[0], cpu.Id);
                    });
                return (m, scenario);
            }, maxPreemptions: 3, maxRuns: 2000, maxSteps: 10_000));

            Assert.NotEmpty(results);
            Assert.All(results, r => Assert.True(r.Clean, r.ToString()));
            Assert.All(pinned, pfn => Assert.True(pfn == old || pfn == replacement, $"pinned frame {pfn}, mapped were {old} and {replacement}"));
            Assert.NotEmpty(pinned);
        }

        private static string Source(string name, string piece)
        {
            foreach (var p in ArchitectureCatalog.FindEntry(name)!.Sources)
            {
                if (p.Key == piece) return p.Value;
            }
            throw new InvalidOperationException($"{name} has no {piece}");
        }
    }
}
