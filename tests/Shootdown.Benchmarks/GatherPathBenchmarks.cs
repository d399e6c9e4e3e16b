using System;
using BenchmarkDotNet.Attributes;
using Shootdown.Archs.Catalog;
using Shootdown.Reference;
using Shootdown.Simulation;

namespace Shootdown.Benchmarks
{
    /// <summary>
    /// The gather path alone, for one full gather: per page <c>tlb_remove_tlb_entry</c> and <c>__tlb_remove_page</c>
    /// until the bundle and all <c>MAX_GATHER_BATCH_COUNT</c> batch pages are full, then <c>tlb_flush_mmu</c> and
    /// <c>tlb_finish_mmu</c>: the code the generator specializes, without the page-table walk and PTE clears of the zap
    /// that drives it.
    /// </summary>
    /// <remarks>
    /// One gather is the unit because a zap never holds more: it flushes when the batches are full, so the frames it
    /// frees are the ones it just unmapped, still in cache. (Driving one gather with 1 GiB of pages instead streams
    /// every frame's state from the last-level cache and measures that.) Every page holds <see cref="Rounds"/> more
    /// references, taken before each iteration, so each invocation's put drops one and frees nothing.
    /// </remarks>
    [MemoryDiagnoser]
    [InvocationCount(Rounds)]
    public class GatherPath
    {
        /// <summary>Gathers per iteration.</summary>
        public const int Rounds = 256;

        /// <summary>
        /// Pages of one gather with 4 KiB pages and 64-bit pointers (both benchmarked architectures): 7 in the bundle,
        /// then 19 batch pages of 509.
        /// </summary>
        public const int Pages = 9678;

        private const ulong Start = 1UL << 32;
        private BenchMachine _bench = null!;
        private int[] _pfns = null!;

        /// <summary>The catalog architecture.</summary>
        [ParamsSource(nameof(ArchitectureNames))]
        public string Arch { get; set; } = "x86-64";

        /// <summary>The architectures.</summary>
        public static string[] ArchitectureNames => Architectures.Names;

        /// <summary>A machine holding one gather's pages.</summary>
        [GlobalSetup]
        public void Setup()
        {
            var descriptor = Architectures.Generated(Arch).Descriptor;
            var pages = GatherGeometry.PagesBeforeFlush(descriptor);
            if (pages != Pages) throw new NotSupportedException($"{Arch}: one gather holds {pages} pages, the benchmark counts {Pages}");
            _bench = new BenchMachine(descriptor, frames: pages + 4096);
            _pfns = new int[pages];
            for (var i = 0; i < pages; i++)
            {
                _pfns[i] = _bench.Machine.Memory.TryAllocate(FrameUse.Data);
                if (_pfns[i] == 0) throw new InvalidOperationException("out of frames");
            }
            SteadyState.Reach(() =>
            {
                foreach (var pfn in _pfns) _bench.Machine.Memory.Get(pfn);
                Drive<ReferenceGather>(_pfns);
                foreach (var pfn in _pfns) _bench.Machine.Memory.Get(pfn);
                Generated(_pfns);
            });
        }

        /// <summary>The references the iteration's gathers drop.</summary>
        [IterationSetup]
        public void TakeReferences()
        {
            for (var round = 0; round < Rounds; round++)
            {
                foreach (var pfn in _pfns) _bench.Machine.Memory.Get(pfn);
            }
        }

        /// <summary>Reference gather; ns per page.</summary>
        [Benchmark(Baseline = true, OperationsPerInvoke = Pages)]
        public void Reference() => Drive<ReferenceGather>(_pfns);

        /// <summary>Generated gather; ns per page.</summary>
        [Benchmark(OperationsPerInvoke = Pages)]
        public void Generated() => Generated(_pfns);

        private void Generated(int[] pfns)
        {
            switch (Arch)
            {
                case "x86-64": Drive<X86_64.MmuGather>(pfns); break;
                case "arm64": Drive<Arm64.MmuGather>(pfns); break;
                default: throw new NotSupportedException(Arch);
            }
        }

        private void Drive<TGather>(int[] pfns) where TGather : struct, IMmuGather<TGather>
        {
            var pageSize = (ulong)_bench.Machine.Geometry.PageSize;
            var tlb = TGather.Begin(_bench.Cpu, _bench.Mm, fullmm: false);
            var address = Start;
            tlb.ChangePageSize(pageSize);
            foreach (var pfn in pfns)
            {
                tlb.RemoveTlbEntry(0, address);
                if (tlb.RemovePage(pfn, pageSize)) tlb.FlushMmu();
                address += pageSize;
            }
            tlb.Finish();
        }
    }
}
