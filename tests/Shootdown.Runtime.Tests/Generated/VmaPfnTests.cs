using System.Linq;
using Shootdown.Simulation;
using static Shootdown.Runtime.Tests.Generated.CatalogArchitectures;

namespace Shootdown.Runtime.Tests.Generated
{
    /// <summary>The generated gather keeps vma_pfn across intermediate flushes, as include/asm-generic/tlb.h does.</summary>
    public sealed class VmaPfnTests
    {
        [Fact]
        public void Munmap_of_a_MixedMap_vma_flushes_in_tlb_free_vmas_what_it_cleared_after_an_intermediate_flush()
        {
            // x86-64 selects MMU_GATHER_MERGE_VMAS, so tlb_end_vma does not flush: what the VMA cleared after the last
            // intermediate flush (the on-stack bundle filled, no batch page to be had) is flushed by tlb_free_vmas,
            // before free_pgtables unhooks the first table, only because that flush did not clear vma_pfn.
            foreach (var arch in new[] { Get("x86-64"), ArchitectureOps.Reference })
            {
                var (m, mm) = arch.IsGenerated ? Boot(arch) : BootOn(Get("x86-64").Descriptor);
                var start = 1UL << 30;
                var perFlush = GatherGeometry.Bundle - 1; // __tlb_remove_folio_pages_size: full at max - 1
                var pages = 2 * perFlush + 3;
                var length = (ulong)pages * (ulong)m.Geometry.PageSize;
                AddressSpace.Mmap(m, mm, start, length, VmaFlags.Write | VmaFlags.MixedMap);
                Assert.True(AddressSpace.Populate(m.Cpu(0), mm, start, start + length));
                m.Memory.FailNext(FrameUse.GatherBatch, 100);
                m.Trace.Enabled = true;

                arch.Munmap(m.Cpu(0), mm, start, length);

                var trace = m.Trace.Snapshot().ToList();
                var lastPte = trace.FindLastIndex(e => e.Kind == EventKind.EntryCleared && e.B == 0);
                var firstTable = trace.FindIndex(e => e.Kind == EventKind.EntryCleared && e.B > 0);
                Assert.True(lastPte >= 0 && firstTable > lastPte, arch.ToString());
                var flushes = trace.Select((e, i) => (e, i)).Where(x => x.e.Kind == EventKind.LocalFlush).ToList();
                Assert.Equal(2, flushes.Count(x => x.i < lastPte)); // the two intermediate flushes
                var freeVmas = flushes.Where(x => x.i > lastPte && x.i < firstTable).Select(x => x.e).ToList();
                Assert.True(freeVmas.Count == 1, $"{arch}: no flush between the last PTE clear and free_pgtables");
                Assert.Equal((start + 2UL * (ulong)perFlush * (ulong)m.Geometry.PageSize, start + length), (freeVmas[0].A, freeVmas[0].B));
                m.Memory.FailNext(FrameUse.GatherBatch, 0);
                Assert.Empty(m.Violations.All);
            }
        }

        private static (Machine Machine, Mm Mm) BootOn(ArchDescriptor d)
        {
            var m = new Machine(d, 2, 4096);
            var mm = m.CreateMm() ?? throw new System.InvalidOperationException("no frame for a pgd");
            m.Cpu(0).SwitchTo(mm);
            m.Cpu(1).SwitchTo(mm);
            return (m, mm);
        }
    }
}
