using System;
using System.Diagnostics;
using System.Runtime;
using System.Threading;

namespace Shootdown.Benchmarks
{
    /// <summary>
    /// Brings the measured code to the code a long run executes before BenchmarkDotNet starts counting.
    /// </summary>
    /// <remarks>
    /// A benchmark with <c>[IterationSetup]</c> runs one invocation per iteration, so its methods are called a handful
    /// of times across warmup and measurement: fewer than the 30 calls after which tiered compilation replaces
    /// quick-jitted code with optimized code. Measured that way, the first dozen iterations are two to three times
    /// slower than the rest and the mean says more about the JIT than about the code. Running a small version of the
    /// workload enough times in the global setup, then waiting until the JIT has nothing left to compile, makes every
    /// measured iteration run optimized code.
    /// </remarks>
    public static class SteadyState
    {
        // Past the tiering call-count threshold (30) with room to spare.
        private const int Rounds = 64;
        private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(300);
        private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

        /// <summary>Runs <paramref name="round"/> <see cref="Rounds"/> times, then waits for the JIT to go quiet.</summary>
        public static void Reach(Action round)
        {
            ArgumentNullException.ThrowIfNull(round);
            for (var i = 0; i < Rounds; i++) round();
            // Tier-1 code is compiled in the background after a delay; wait until no method was compiled for a while.
            var clock = Stopwatch.StartNew();
            var compiled = JitInfo.GetCompiledMethodCount();
            var quietSince = clock.Elapsed;
            while (clock.Elapsed - quietSince < Quiet && clock.Elapsed < Limit)
            {
                Thread.Sleep(20);
                var now = JitInfo.GetCompiledMethodCount();
                if (now != compiled)
                {
                    compiled = now;
                    quietSince = clock.Elapsed;
                }
            }
        }
    }
}
