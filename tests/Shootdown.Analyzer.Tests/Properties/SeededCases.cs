using System;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using CsCheck;

namespace Shootdown.Analyzer.Tests.Properties
{
    /// <summary>
    /// Runs a CsCheck property on a fixed list of cases: case i is drawn from a PCG seeded from the run's seed and i, so CI
    /// runs the same 2,000 cases every time and on any number of cores. <c>SHOOTDOWN_FUZZ=N</c> runs N cases from a random
    /// run seed (the long run); <c>SHOOTDOWN_FUZZ_SEED</c> fixes that seed again. The first failing case is handed to
    /// CsCheck's shrinker, seeded with it, and the failure names the run seed, the case's seed and the shrunk input, which
    /// <c>CsCheck_Seed=&lt;seed&gt;</c> replays.
    /// </summary>
    internal static class SeededCases
    {
        /// <summary>The run seed of CI: the same cases every run.</summary>
        public const ulong CiSeed = 20260601;

        /// <summary>Cases per run in CI.</summary>
        public const int CiCases = 2000;

        public static int Cases =>
            int.TryParse(Environment.GetEnvironmentVariable("SHOOTDOWN_FUZZ"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : CiCases;

        public static ulong RunSeed
        {
            get
            {
                if (ulong.TryParse(Environment.GetEnvironmentVariable("SHOOTDOWN_FUZZ_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed)) return seed;
                return Environment.GetEnvironmentVariable("SHOOTDOWN_FUZZ") is { Length: > 0 } ? (ulong)Random.Shared.NextInt64() : CiSeed;
            }
        }

        /// <summary>The PCG of case <paramref name="index"/> of the run seeded <paramref name="runSeed"/>.</summary>
        public static PCG CasePcg(ulong runSeed, int index) => new(1u + (uint)(index % 1000), runSeed * 0x9E3779B97F4A7C15UL + (ulong)index);

        /// <summary>
        /// Checks <paramref name="check"/> on every case; returns a one-line summary. A failure throws with the run seed,
        /// the failing case and what CsCheck shrank it to in <paramref name="shrinkSeconds"/>.
        /// </summary>
        public static string Run<T>(Gen<T> gen, Action<T> check, Func<T, string> print, int? cases = null, ulong? runSeed = null, int shrinkSeconds = 60)
        {
            var n = cases ?? Cases;
            var seed = runSeed ?? RunSeed;
            // CsCheck_Seed replays one case as CsCheck does, with its shrinking.
            if (Environment.GetEnvironmentVariable("CsCheck_Seed") is { Length: > 0 })
            {
                gen.Sample(check, iter: 1, threads: 1, print: print);
                return "replayed CsCheck_Seed";
            }
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var firstFailure = int.MaxValue;
            Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, (i, state) =>
            {
                if (i > Volatile.Read(ref firstFailure)) { state.Stop(); return; }
                var value = gen.Generate(CasePcg(seed, i), null, out _);
                try
                {
                    check(value);
                }
                catch (Exception)
                {
                    int seen;
                    while (i < (seen = Volatile.Read(ref firstFailure)) && Interlocked.CompareExchange(ref firstFailure, i, seen) != seen) { }
                }
            });
            if (firstFailure == int.MaxValue) return $"{n} cases from run seed {seed} in {clock.Elapsed.TotalSeconds:0.0} s";

            var pcg = CasePcg(seed, firstFailure);
            var caseSeed = pcg.ToString();
            var original = gen.Generate(CasePcg(seed, firstFailure), null, out _);
            string? failure = null;
            try
            {
                check(original);
            }
            catch (Exception e)
            {
                failure = e.Message;
            }
            var head = $"case {firstFailure} of {n} from run seed {seed} (SHOOTDOWN_FUZZ_SEED={seed}) fails, seed {caseSeed}: {failure}\n";
            try
            {
                // Seeded with the failing case, CsCheck's search looks for smaller failing inputs and reports the smallest.
                gen.Sample(check, seed: caseSeed, time: shrinkSeconds, threads: 1, print: print);
            }
            catch (Exception shrunk)
            {
                throw new InvalidOperationException(head + "shrunk by CsCheck: " + shrunk.Message, shrunk);
            }
            throw new InvalidOperationException(head + "input:\n" + print(original));
        }
    }
}
