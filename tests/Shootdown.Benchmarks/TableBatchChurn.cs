using BenchmarkDotNet.Attributes;
using Shootdown.Simulation;

namespace Shootdown.Benchmarks
{
    /// <summary>
    /// Page-table churn: 4096 one-page mappings, each in its own PMD span, unmapped with one munmap, so 4096 PTE tables
    /// and the PMD tables above them go through the table batch (several full batches) and, with RCU table freeing,
    /// through call_rcu. The mappings are made again before every iteration; per-table figures.
    /// </summary>
    [MemoryDiagnoser]
    public class TableBatchChurn
    {
        /// <summary>PTE tables freed per invocation.</summary>
        public const int Tables = 4096;

        private const ulong Start = 1UL << 36;
        private BenchMachine _bench = null!;
        private ArchitectureOps _reference = null!;
        private ArchitectureOps _generated = null!;
        private ulong _stride;

        /// <summary>The catalog architecture.</summary>
        [ParamsSource(nameof(ArchitectureNames))]
        public string Arch { get; set; } = "x86-64";

        /// <summary>The architectures.</summary>
        public static string[] ArchitectureNames => Architectures.Names;

        /// <summary>A machine with room for a page and a table per mapping.</summary>
        [GlobalSetup]
        public void Setup()
        {
            _generated = Architectures.Generated(Arch);
            _reference = Architectures.Reference(Arch);
            _bench = new BenchMachine(_generated.Descriptor, frames: 2 * Tables + 1024);
            _stride = _bench.Machine.Geometry.EntrySize(1);
            SteadyState.Reach(() =>
            {
                foreach (var ops in new[] { _reference, _generated })
                {
                    Map(WarmTables);
                    Unmap(ops, WarmTables);
                }
            });
        }

        // A full table batch and some: the batch-full path runs during warmup too.
        private const int WarmTables = 600;

        /// <summary>One page in each of <see cref="Tables"/> PMD spans.</summary>
        [IterationSetup]
        public void Map() => Map(Tables);

        private void Map(int tables)
        {
            for (var i = 0UL; i < (ulong)tables; i++) _bench.MapSmall(Start + i * _stride, (ulong)_bench.Machine.Geometry.PageSize);
        }

        /// <summary>Reference gather and table batch.</summary>
        [Benchmark(Baseline = true, OperationsPerInvoke = Tables)]
        public void Reference() => Unmap(_reference, Tables);

        /// <summary>Generated gather and table batch.</summary>
        [Benchmark(OperationsPerInvoke = Tables)]
        public void Generated() => Unmap(_generated, Tables);

        private void Unmap(ArchitectureOps ops, int tables)
        {
            ops.Munmap(_bench.Cpu, _bench.Mm, Start, (ulong)tables * _stride);
            _bench.Machine.Rcu.Quiesce();
        }
    }
}
