using System;
using System.Threading;
using Shootdown.Archs.Catalog;
using Shootdown.Simulation;
using static Shootdown.Runtime.Tests.Generated.CatalogArchitectures;

namespace Shootdown.Runtime.Tests.Generated
{
    /// <summary>
    /// The GUP_GET_PXX_LOW_HIGH read of the architectures whose PTE is wider than their word. A deterministic test of the
    /// retry itself would need a hook between the two loads, which the machine does not offer; these tests pin down what
    /// the read must produce, and race it against a writer that stores the halves the way Linux does.
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

            // Same low half, a high half that puts the frame beyond this machine (its memory ends a little above
            // 4 GiB): nothing may be pinned.
            PageTables.Write(m, table, level, index, pte | (1UL << 35));
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
        public void A_pte_rewritten_half_by_half_never_pins_a_page_it_did_not_map(string name)
        {
            var arch = Get(name);
            var (m, mm) = Boot(arch);
            var page = (ulong)m.Geometry.PageSize;
            AddressSpace.Mmap(m, mm, Base, page, VmaFlags.Write);
            Assert.True(AddressSpace.Fault(m.Cpu(0), mm, Base));
            var a = LeafEntry(m, mm, Base, out var table, out _, out var index);
            var pfnA = PageTables.Pfn(m, a);
            var decoy = m.Memory.TryAllocate(FrameUse.Data);
            Assert.NotEqual(0, decoy);
            // B maps a frame 4 GiB above the decoy, which this machine does not have; B's low half alone names the decoy.
            var b = PageTables.PageEntry(m, decoy, Entry.Write) | (1UL << 32);
            var words = m.Memory.TableWords(table.Pfn);
            var word = table.Fragment * m.Geometry.Entries(0) + index;
            var refsA = m.Memory[pfnA].RefCount;
            var refsDecoy = m.Memory[decoy].RefCount;

            using var stop = new CancellationTokenSource();
            var writer = new Thread(() =>
            {
                var current = a;
                while (!stop.IsCancellationRequested)
                {
                    var next = current == a ? b : a;
                    // native_ptep_get_and_clear: low half first; native_set_pte: high half first, low half last.
                    Volatile.Write(ref words[word], current & 0xFFFF_FFFF_0000_0000UL);
                    Volatile.Write(ref words[word], 0UL);
                    Volatile.Write(ref words[word], next & 0xFFFF_FFFF_0000_0000UL);
                    Volatile.Write(ref words[word], next);
                    current = next;
                }
                Volatile.Write(ref words[word], a);
            });
            writer.Start();
            var pages = new int[1];
            var pinnedA = 0;
            var deadline = DateTime.UtcNow.AddMilliseconds(300);
            while (DateTime.UtcNow < deadline)
            {
                pages[0] = 0;
                if (arch.GupFast(m.Cpu(1), mm, Base, write: true, pages) == 0) continue;
                Assert.Equal(pfnA, pages[0]);
                m.Memory.Put(pages[0], 1);
                pinnedA++;
            }
            stop.Cancel();
            writer.Join();

            Assert.True(pinnedA > 0, "the reader never saw the mapped page");
            Assert.Equal(refsA, m.Memory[pfnA].RefCount);
            Assert.Equal(refsDecoy, m.Memory[decoy].RefCount);
            Assert.Empty(m.Violations.All);
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
