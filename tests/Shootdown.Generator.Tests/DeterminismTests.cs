using System;
using System.Linq;
using Shootdown.Generator.Tests.Infrastructure;

namespace Shootdown.Generator.Tests
{
    /// <summary>The same descriptors always give the same bytes, whatever order the files come in.</summary>
    public sealed class DeterminismTests
    {
        private static SourceFile[] Inputs() =>
            Catalog.Sources.Concat(VariedDescriptors.Named("walkers").Sources()).ToArray();

        [Fact]
        public void Two_runs_produce_identical_files()
        {
            var first = GeneratorHarness.Run(Inputs());
            var second = GeneratorHarness.Run(Inputs());
            first.AssertNoGeneratorFailure();

            Assert.NotEmpty(first.Files);
            Assert.Equal(first.Files.Select(f => f.HintName), second.Files.Select(f => f.HintName));
            foreach (var (a, b) in first.Files.Zip(second.Files))
                Assert.True(a.Text == b.Text, $"{a.HintName} differs between two runs:\n" + UnifiedDiff.Create(a.Text, b.Text, "first", "second"));
        }

        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        [InlineData(3)]
        public void Shuffled_input_order_produces_identical_files(int seed)
        {
            var inputs = Inputs();
            var reference = GeneratorHarness.Run(inputs).FilesByHint;
            var shuffled = inputs.OrderBy(_ => 0).ToArray();
            new Random(seed).Shuffle(shuffled);
            Assert.False(shuffled.SequenceEqual(inputs), "the shuffle left the order as it was");

            var actual = GeneratorHarness.Run(shuffled).FilesByHint;

            Assert.Equal(reference.Keys.OrderBy(k => k, StringComparer.Ordinal), actual.Keys.OrderBy(k => k, StringComparer.Ordinal));
            foreach (var (hint, text) in reference)
                Assert.True(text == actual[hint], $"{hint} depends on input order:\n" + UnifiedDiff.Create(text, actual[hint], "in order", "shuffled"));
        }
    }
}
