using BenchmarkDotNet.Attributes;
using Shootdown.Simulation;

namespace Shootdown.Benchmarks
{
    /// <summary>
    /// munmap of 1 GiB: the gather path (zap, page batches, flushes, frees, table batch). The gigabyte is mapped again
    /// before every iteration, so only the teardown, and the RCU callbacks that free its tables, are measured.
    /// </summary>
    public abstract class UnmapBenchmarks
    {
        /// <summary>Where the gigabyte starts (1 GiB aligned, so huge pages fit).</summary>
        protected const ulong Start = 1UL << 32;

        /// <summary>One gigabyte.</summary>
        protected const ulong Length = 1UL << 30;

        private BenchMachine _bench = null!;
        private ArchitectureOps _reference = null!;
        private ArchitectureOps _generated = null!;

        /// <summary>The catalog architecture.</summary>
        [ParamsSource(nameof(ArchitectureNames))]
        public string Arch { get; set; } = "x86-64";

        /// <summary>The architectures.</summary>
        public static string[] ArchitectureNames => Architectures.Names;

        /// <summary>A machine with room for the gigabyte, its tables and the gather's batch pages.</summary>
        [GlobalSetup]
        public void Setup()
        {
            _generated = Architectures.Generated(Arch);
            _reference = Architectures.Reference(Arch);
            _bench = new BenchMachine(_generated.Descriptor, frames: (int)(Length >> 12) + 4096);
            SteadyState.Reach(() =>
            {
                foreach (var ops in new[] { _reference, _generated })
                {
                    Map(_bench, WarmLength);
                    Unmap(ops, WarmLength);
                }
            });
        }

        // Enough for several PTE tables and huge pages, small enough that warming up takes well under a second.
        private const ulong WarmLength = 8UL << 20;

        /// <summary>Maps and populates the gigabyte.</summary>
        [IterationSetup]
        public void Map() => Map(_bench, Length);

        /// <summary>Maps [<see cref="Start"/>, +<paramref name="length"/>) on <paramref name="bench"/>.</summary>
        protected abstract void Map(BenchMachine bench, ulong length);

        /// <summary>munmap with the reference gather.</summary>
        protected void UnmapReference() => Unmap(_reference, Length);

        /// <summary>munmap with the generated gather.</summary>
        protected void UnmapGenerated() => Unmap(_generated, Length);

        private void Unmap(ArchitectureOps ops, ulong length)
        {
            ops.Munmap(_bench.Cpu, _bench.Mm, Start, length);
            _bench.Machine.Rcu.Quiesce(); // the RCU-freed table batches go back too
        }
    }

    /// <summary>munmap of 1 GiB of 4 KiB pages: 262144 PTEs through the page batches.</summary>
    [MemoryDiagnoser]
    public class UnmapBasePages : UnmapBenchmarks
    {
        /// <summary>Pages per invocation.</summary>
        public const int Pages = (int)(Length >> 12);

        /// <inheritdoc/>
        protected override void Map(BenchMachine bench, ulong length) => bench.MapSmall(Start, length);

        /// <summary>Reference gather.</summary>
        [Benchmark(Baseline = true, OperationsPerInvoke = Pages)]
        public void Reference() => UnmapReference();

        /// <summary>Generated gather.</summary>
        [Benchmark(OperationsPerInvoke = Pages)]
        public void Generated() => UnmapGenerated();
    }

    /// <summary>munmap of 1 GiB of 2 MiB pages: 512 PMD leaves, each a compound page.</summary>
    [MemoryDiagnoser]
    public class UnmapHugePages : UnmapBenchmarks
    {
        /// <summary>Huge pages per invocation.</summary>
        public const int Pages = (int)(Length >> 21);

        /// <inheritdoc/>
        protected override void Map(BenchMachine bench, ulong length) => bench.MapHuge(Start, length);

        /// <summary>Reference gather.</summary>
        [Benchmark(Baseline = true, OperationsPerInvoke = Pages)]
        public void Reference() => UnmapReference();

        /// <summary>Generated gather.</summary>
        [Benchmark(OperationsPerInvoke = Pages)]
        public void Generated() => UnmapGenerated();
    }
}
