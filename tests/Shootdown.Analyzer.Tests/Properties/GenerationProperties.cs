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
    /// a class without saying so (docs/diagnostics/README.md). <c>SHOOTDOWN_FUZZ_ITER</c> sets the number of cases (2,000 by default; the long run
    /// is 20,000, see tests/Shootdown.Analyzer.Tests/README.md); <c>CsCheck_Seed</c> replays a failure, whose shrunk program the failure message prints.
    /// </summary>
    public sealed class GenerationProperties
    {
        private readonly ITestOutputHelper _output;

        public GenerationProperties(ITestOutputHelper output) => _output = output;

        private static long Iterations =>
            long.TryParse(Environment.GetEnvironmentVariable("SHOOTDOWN_FUZZ_ITER"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 2000;

        [Fact]
        public void Structure_errors_get_no_code_races_get_code_that_compiles_and_the_generator_never_throws()
        {
            DeclarationGen.Declaration.Sample(declaration =>
            {
                var failures = Judgement.JudgeAsync(declaration).GetAwaiter().GetResult();
                if (failures.Count > 0) throw new InvalidOperationException(string.Join(", ", failures));
            }, iter: Iterations, print: d => "\n" + d);
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
            var total = 0;
            DeclarationGen.Declaration.Sample(declaration =>
            {
                System.Threading.Interlocked.Increment(ref total);
                foreach (var failure in Judgement.JudgeAsync(declaration).GetAwaiter().GetResult()) counts.AddOrUpdate(Judgement.ClassOf(failure), 1, (_, n) => n + 1);
            }, iter: Iterations);
            var line = $"{total} cases: " + string.Join(", ", Judgement.Classes
                .Select(c => c + " " + (counts.TryGetValue(c, out var n) ? n : 0)));
            _output.WriteLine(line);
            System.IO.File.WriteAllText(System.IO.Path.Combine(System.IO.Path.GetTempPath(), "shootdown-fuzz-measure.txt"), line + "\n");
        }
    }
}
