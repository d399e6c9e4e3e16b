using System;
using System.Linq;
using BenchmarkDotNet.Attributes;
using Shootdown.Explorer;
using Shootdown.Simulation;

namespace Shootdown.Benchmarks
{
    /// <summary>
    /// One whole DPOR exploration of a race scenario on arm64's generated code (preemption bound 2, systematic part
    /// only, as <c>check --bench</c> runs it): thousands of short controlled runs, each a fresh machine, its CPU tasks on
    /// pooled threads handing one baton over, the end checks and the race analysis. The baseline starts every task's
    /// thread with the run (<see cref="ControlledRun.StartAllAtOnce"/>); the other takes a task's thread at its first
    /// turn. Both explore the same executions: an invocation that explores a different number than the one before fails.
    /// </summary>
    [MemoryDiagnoser]
    public class Exploration
    {
        private RaceScenario _scenario = null!;
        private ArchitectureOps _ops = null!;
        private readonly SearchBounds _bounds = SearchBounds.Default with { Random = 0, Pct = 0, StopAtFirst = false };
        private int _executions = -1;

        /// <summary>The scenario: one with few long executions (fork), one short, one with many.</summary>
        [Params("munmap-vs-hw-walker", "nested-gathers-vs-walker", "fork-vs-kernel-pgd-entry")]
        public string Scenario { get; set; } = "munmap-vs-hw-walker";

        /// <summary>The scenario and arm64's generated operations.</summary>
        [GlobalSetup]
        public void Setup()
        {
            _scenario = RaceScenarios.All.FirstOrDefault(s => s.Name == Scenario)
                ?? throw new ArgumentException($"no race scenario {Scenario}");
            _ops = Architectures.Generated("arm64");
        }

        /// <summary>Every task's thread starts with the run and waits for its first turn.</summary>
        [Benchmark(Baseline = true)]
        public int ThreadsAtRunStart() => Explore(startAllAtOnce: true);

        /// <summary>A task's thread is taken from the pool at its first turn.</summary>
        [Benchmark]
        public int ThreadAtFirstTurn() => Explore(startAllAtOnce: false);

        private int Explore(bool startAllAtOnce)
        {
            ControlledRun.StartAllAtOnce = startAllAtOnce;
            try
            {
                var report = RaceExplorer.Explore(_scenario, _ops.Descriptor, _ops, _bounds);
                if (!report.Exhausted) throw new InvalidOperationException($"{Scenario}: not exhausted at bound {_bounds.Preemptions}");
                if (_executions >= 0 && report.Systematic != _executions)
                    throw new InvalidOperationException($"{Scenario}: {report.Systematic} executions, {_executions} before: the thread start changed the search");
                _executions = report.Systematic;
                return report.Systematic;
            }
            finally
            {
                ControlledRun.StartAllAtOnce = false;
            }
        }
    }
}
