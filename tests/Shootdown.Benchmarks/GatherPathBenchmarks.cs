using System;
using BenchmarkDotNet.Attributes;
using Shootdown.Archs.Catalog;
using Shootdown.Reference;
using Shootdown.Simulation;

namespace Shootdown.Benchmarks
{
    /// <summary>
    /// The gather path alone, for 1 GiB of 4 KiB pages: per page <c>tlb_remove_tlb_entry</c> and
    /// <c>__tlb_remove_page</c>, <c>tlb_flush_mmu</c> whenever the batches are full, <c>tlb_finish_mmu</c> at the end:
    /// the code the generator specializes, without the page-table walk and PTE clears of the zap that drives it. Every
    /// page holds a second reference (taken before each iteration), so freeing it is the batched put alone.
    /// </summary>
    [MemoryDiagnoser]
    public class GatherPath
    {
        /// <summary>Pages per invocation: 1 GiB of 4 KiB pages.</summary>
        public const int Pages = 1 << 18;

        private const ulong Start = 1UL << 32;
        private BenchMachine _bench = null!;
        private int[] _pfns = null!;

        /// <summary>The catalog architecture.</summary>
        [ParamsSource(nameof(ArchitectureNames))]
        public string Arch { get; set; } = "x86-64";

        /// <summary>The architectures.</summary>
        public static string[] ArchitectureNames => Architectures.Names;

        /// <summary>A machine holding the gigabyte's pages.</summary>
        [GlobalSetup]
        public void Setup()
        {
            _bench = new BenchMachine(Architectures.Generated(Arch).Descriptor, frames: Pages + 4096);
            _pfns = new int[Pages];
            for (var i = 0; i < Pages; i++)
            {
                _pfns[i] = _bench.Machine.Memory.TryAllocate(FrameUse.Data);
                if (_pfns[i] == 0) throw new InvalidOperationException("out of frames");
            }
            var warm = _pfns.AsSpan(0, 4096).ToArray();
            SteadyState.Reach(() =>
            {
                foreach (var pfn in warm) _bench.Machine.Memory.Get(pfn);
                Drive<ReferenceGather>(warm);
                foreach (var pfn in warm) _bench.Machine.Memory.Get(pfn);
                Generated(warm);
            });
        }

        /// <summary>The reference the gather drops.</summary>
        [IterationSetup]
        public void TakeTheSecondReferences()
        {
            foreach (var pfn in _pfns) _bench.Machine.Memory.Get(pfn);
        }

        /// <summary>Reference gather.</summary>
        [Benchmark(Baseline = true, OperationsPerInvoke = Pages)]
        public void Reference() => Drive<ReferenceGather>(_pfns);

        /// <summary>Generated gather.</summary>
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
