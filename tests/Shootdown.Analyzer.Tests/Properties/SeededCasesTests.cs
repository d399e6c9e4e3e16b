using System;
using System.Collections.Concurrent;
using System.Linq;
using CsCheck;

namespace Shootdown.Analyzer.Tests.Properties
{
    /// <summary>The seeded runner: the same cases on every run, and a failure that names its seeds and the shrunk input.</summary>
    public sealed class SeededCasesTests
    {
        [Fact]
        public void A_run_seed_gives_the_same_cases_every_time()
        {
            string[] Cases(ulong seed)
            {
                var seen = new ConcurrentBag<string>();
                SeededCases.Run(DeclarationGen.Declaration, d => seen.Add(d.ToString()), d => d.ToString(), cases: 200, runSeed: seed);
                return seen.OrderBy(s => s, StringComparer.Ordinal).ToArray();
            }
            var first = Cases(SeededCases.CiSeed);
            Assert.Equal(200, first.Length);
            Assert.Equal(first, Cases(SeededCases.CiSeed));
            Assert.NotEqual(first, Cases(SeededCases.CiSeed + 1));
            Assert.True(first.Distinct(StringComparer.Ordinal).Count() > 100, "the cases hardly differ");
        }

        [Fact]
        public void A_case_seed_replays_the_case_in_CsCheck()
        {
            for (var i = 0; i < 20; i++)
            {
                var seed = SeededCases.CasePcg(SeededCases.CiSeed, i).ToString();
                var original = FixCaseGen.FixCase.Generate(SeededCases.CasePcg(SeededCases.CiSeed, i), null, out _).ToString();
                Assert.Equal(original, FixCaseGen.FixCase.Generate(PCG.Parse(seed), null, out _).ToString());
            }
        }

        [Fact]
        public void A_failure_names_the_run_seed_the_case_seed_and_the_shrunk_input()
        {
            var gen = Gen.Int[0, 1_000_000];
            var failure = Assert.Throws<InvalidOperationException>(() =>
                SeededCases.Run(gen, n => { if (n >= 1000) throw new InvalidOperationException("too big: " + n); }, n => "n = " + n, cases: 50, runSeed: 7, shrinkSeconds: 3));
            Assert.Contains("from run seed 7 (SHOOTDOWN_FUZZ_SEED=7)", failure.Message, StringComparison.Ordinal);
            Assert.Matches(@"seed [0-9A-Za-z_-]{6,}: too big", failure.Message);
            // CsCheck shrinks toward the smallest failing input, 1000: what it prints is failing and smaller than the case.
            var original = int.Parse(System.Text.RegularExpressions.Regex.Match(failure.Message, @"too big: (\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            var shrunk = System.Text.RegularExpressions.Regex.Match(failure.Message, @"shrunk by CsCheck: .*?n = (\d+)", System.Text.RegularExpressions.RegexOptions.Singleline);
            Assert.True(shrunk.Success, failure.Message);
            var value = int.Parse(shrunk.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(value, 1000, original);
            Assert.True(value < original || original == 1000, failure.Message);
        }
    }
}
