using System;
using System.Linq;
using Shootdown.Archs.Catalog;
using Shootdown.Reference;
using Shootdown.Simulation;

namespace Shootdown.Runtime.Tests.Generated
{
    /// <summary>
    /// A gather in steady state allocates nothing, also right after a full garbage collection: the generated gather's
    /// batch slots and the reference's page batches, batch pages included, are reused from the machine.
    /// </summary>
    public sealed class SteadyStateAllocationTests
    {
        private const int Rounds = 20;

        [Fact]
        public void Gathers_allocate_nothing_per_round_even_after_full_collections()
        {
            var m = new Machine(X86_64.Descriptor, cpus: 2, frames: 4096);
            var mm = m.CreateMm()!;
            foreach (var cpu in m.Cpus) cpu.SwitchTo(mm);
            // More pages than the bundle and one batch page hold, so batch pages are taken and given back every round.
            var pfns = Enumerable.Range(0, 1200).Select(_ => m.Memory.TryAllocate(FrameUse.Data)).ToArray();
            for (var i = 0; i < 40; i++)
            {
                Round<X86_64.MmuGather>(m, mm, pfns);
                Round<ReferenceGather>(m, mm, pfns);
            }
            long generated = 0, reference = 0;
            for (var i = 0; i < Rounds; i++)
            {
                generated += AllocatedBy<X86_64.MmuGather>(m, mm, pfns);
                reference += AllocatedBy<ReferenceGather>(m, mm, pfns);
            }
            // A per-round allocation (slots or batches made anew) is at least a kilobyte a round; stray runtime allocations
            // on this thread (the JIT finishing a tier) are not per round.
            Assert.True(generated < 2048, $"generated gathers allocated {generated} bytes in {Rounds} rounds");
            Assert.True(reference < 2048, $"reference gathers allocated {reference} bytes in {Rounds} rounds");
            Assert.True(m.Violations.IsEmpty, string.Join("; ", m.Violations.All));
        }

        private static long AllocatedBy<TGather>(Machine m, Mm mm, int[] pfns) where TGather : struct, IMmuGather<TGather>
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            var before = GC.GetAllocatedBytesForCurrentThread();
            Round<TGather>(m, mm, pfns);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        private static void Round<TGather>(Machine m, Mm mm, int[] pfns) where TGather : struct, IMmuGather<TGather>
        {
            foreach (var pfn in pfns) m.Memory.Get(pfn);
            var cpu = m.Cpu(0);
            var tlb = TGather.Begin(cpu, mm, fullmm: false);
            var address = 1UL << 32;
            foreach (var pfn in pfns)
            {
                tlb.RemoveTlbEntry(0, address);
                if (tlb.RemovePage(pfn, X86_64.MmuGather.PageSize)) tlb.FlushMmu();
                address += X86_64.MmuGather.PageSize;
            }
            tlb.Finish();
        }
    }
}
