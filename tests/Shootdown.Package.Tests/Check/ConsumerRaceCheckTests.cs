using System;
using System.Linq;
using Shootdown.Archs.Registry;
using Shootdown.Explorer;
using Shootdown.Package.Tests.Harness;

namespace Shootdown.Package.Tests.Check
{
    /// <summary>
    /// The test API on a consumer's own classes, built from the packed package: the safe class is proved, the unsafe one (its
    /// SHD002 lowered to a warning, so it is generated) fails with the witness of its generated code in the message.
    /// </summary>
    public sealed class ConsumerRaceCheckTests : IClassFixture<PackedFeed>
    {
        private static readonly RaceCheckOptions Small = new()
        {
            Bounds = SearchBounds.Default with { Preemptions = 1, Random = 0, Pct = 0 },
            Scenarios = new[] { "munmap-vs-gup-fast" },
        };

        private readonly PackedFeed _feed;

        public ConsumerRaceCheckTests(PackedFeed feed)
        {
            _feed = feed;
            Assert.True(feed.Pack.ExitCode == 0, feed.Pack.ToString());
        }

        [Fact]
        public void RaceCheck_proves_the_safe_class_and_fails_the_unsafe_one_with_its_witness()
        {
            var consumer = ConsumerClasses.Project(_feed, "race-check");
            var build = consumer.Build();
            Assert.True(build.ExitCode == 0, build.ToString());
            // The tool's loader: the consumer's Shootdown.Runtime resolves to this process's copy.
            Assert.True(UserAssembly.TryLoad(ConsumerClasses.Dll(consumer), out var classes, out var error), error);
            Assert.Equal(new[] { "consumer-safe", "consumer-unsafe" }, classes.Select(c => c.Name));

            var safe = RaceCheck.Run(classes[0], Small);
            Assert.True(safe.Proved, safe.Summary);
            safe.ThrowIfNotProved();

            var broken = RaceCheck.Run(classes[1], Small);
            Assert.Equal(VerdictKind.Violation, broken.Verdict);
            var witness = Assert.Single(broken.Scenarios).WitnessId;
            Assert.StartsWith("v2:munmap-vs-gup-fast:generated:bcast.L4.4k.f1.pte64w64.special.walkcache.norefill.opt-tf.gup-load:", witness, StringComparison.Ordinal);
            var thrown = Assert.Throws<RaceCheckException>(broken.ThrowIfNotProved);
            Assert.Contains(witness!, thrown.Message, StringComparison.Ordinal);
            Assert.Contains("VIOLATION", thrown.Message, StringComparison.Ordinal);
        }
    }
}
