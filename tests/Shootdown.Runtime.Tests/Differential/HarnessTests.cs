using Shootdown.Archs.Catalog;

namespace Shootdown.Runtime.Tests.Differential
{
    /// <summary>The comparison can fail: a gather specialized for another architecture leaves a different trace.</summary>
    public sealed class HarnessTests
    {
        [Fact]
        public void A_gather_built_for_another_architecture_is_reported_with_seed_and_first_difference()
        {
            var arm64 = CompiledArchitecture.Of(Arm64.Ops);
            var wrong = arm64 with { Generated = CompiledArchitecture.Of(X86_64.Ops).Generated };
            var report = Differential.Check(wrong, seed: 5);
            Assert.NotNull(report);
            Assert.Contains("seed 5", report);
            Assert.Contains("first difference at event", report);
            Assert.Contains("expected:", report);
            Assert.Contains("arm64", report);
        }

        [Fact]
        public void The_same_seed_gives_the_same_trace()
        {
            var first = DifferentialRun.Execute(Arm64.Descriptor, KernelOps.Reference, 9);
            var again = DifferentialRun.Execute(Arm64.Descriptor, KernelOps.Reference, 9);
            Assert.Equal(first.Events, again.Events);
            Assert.True(first.Events.Count > 200, $"only {first.Events.Count} events");
        }
    }
}
