using BenchmarkDotNet.Attributes;
using Shootdown.Simulation;

namespace Shootdown.Benchmarks
{
    /// <summary>
    /// The lockless fast GUP walk over 512 mapped base pages. Only the walk is measured: the references it takes are not
    /// put, so a page's count grows by one per invocation (far from overflowing in a run), which neither walker reads.
    /// </summary>
    [MemoryDiagnoser]
    public class FastGup512
    {
        /// <summary>Pages pinned per invocation.</summary>
        public const int Pages = 512;

        private const ulong Start = 1UL << 32;
        private readonly int[] _pages = new int[Pages];
        private BenchMachine _bench = null!;
        private ArchitectureOps _reference = null!;
        private ArchitectureOps _generated = null!;

        /// <summary>The catalog architecture.</summary>
        [ParamsSource(nameof(ArchitectureNames))]
        public string Arch { get; set; } = "x86-64";

        /// <summary>The architectures.</summary>
        public static string[] ArchitectureNames => Architectures.Names;

        /// <summary>512 pages mapped and populated.</summary>
        [GlobalSetup]
        public void Setup()
        {
            _generated = Architectures.Generated(Arch);
            _reference = Architectures.Reference(Arch);
            _bench = new BenchMachine(_generated.Descriptor, frames: 4096);
            _bench.MapSmall(Start, (ulong)Pages << _bench.Machine.Geometry.PageShift);
        }

        /// <summary>Reference fast GUP.</summary>
        [Benchmark(Baseline = true, OperationsPerInvoke = Pages)]
        public int Reference() => Pin(_reference);

        /// <summary>Generated fast GUP.</summary>
        [Benchmark(OperationsPerInvoke = Pages)]
        public int Generated() => Pin(_generated);

        private int Pin(ArchitectureOps ops)
        {
            var pinned = ops.GupFast(_bench.Cpu, _bench.Mm, Start, write: true, _pages);
            if (pinned != Pages) throw new System.InvalidOperationException($"{ops} pinned {pinned} of {Pages}");
            return pinned;
        }
    }
}
