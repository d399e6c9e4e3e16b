using System;
using System.Collections.Concurrent;
using System.Globalization;
using System.Linq;
using CsCheck;
using Xunit.Abstractions;

namespace Shootdown.Analyzer.Tests.Properties
{
    /// <summary>
    /// Properties of the generator on generated programs (CsCheck, with shrinking): it never throws; a class with a Structure
    /// error gets no code; a class with only Safety or Cost findings gets code, and that code compiles; and it never refuses
    /// a class without saying so (docs/diagnostics/README.md). The cases are the seeded ones of <see cref="SeededCases"/>: the
    /// same 2,000 in CI, <c>SHOOTDOWN_FUZZ=20000</c> for the long run (tests/Shootdown.Analyzer.Tests/README.md); a failure
    /// prints its seeds and the shrunk program.
    /// </summary>
    public sealed class GenerationProperties
    {
        private readonly ITestOutputHelper _output;

        public GenerationProperties(ITestOutputHelper output) => _output = output;

        [Fact]
        public void Structure_errors_get_no_code_races_get_code_that_compiles_and_the_generator_never_throws()
        {
            var summary = SeededCases.Run(DeclarationGen.Declaration, declaration =>
            {
                var failures = Judgement.JudgeAsync(declaration).GetAwaiter().GetResult();
                if (failures.Count > 0) throw new InvalidOperationException(string.Join(", ", failures));
            }, d => "\n" + d);
            _output.WriteLine(summary);
        }

        /// <summary>
        /// Counts, per failure class, how many of the cases fail: the measurement behind the properties. Runs only when
        /// <c>SHOOTDOWN_FUZZ_MEASURE=1</c>, since it counts rather than asserts.
        /// </summary>
        [Fact]
        public void Measure_failure_classes()
        {
            if (Environment.GetEnvironmentVariable("SHOOTDOWN_FUZZ_MEASURE") != "1") return;
            var counts = new ConcurrentDictionary<string, int>();
            var total = SeededCases.Cases;
            var seed = SeededCases.RunSeed;
            System.Threading.Tasks.Parallel.For(0, total, i =>
            {
                var declaration = DeclarationGen.Declaration.Generate(SeededCases.CasePcg(seed, i), null, out _);
                foreach (var failure in Judgement.JudgeAsync(declaration).GetAwaiter().GetResult()) counts.AddOrUpdate(Judgement.ClassOf(failure), 1, (_, n) => n + 1);
            });
            var line = $"{total} cases from run seed {seed}: " + string.Join(", ", Judgement.Classes
                .Select(c => c + " " + (counts.TryGetValue(c, out var n) ? n : 0)));
            _output.WriteLine(line);
            System.IO.File.WriteAllText(System.IO.Path.Combine(System.IO.Path.GetTempPath(), "shootdown-fuzz-measure.txt"), line + "\n");
        }
    }
}
