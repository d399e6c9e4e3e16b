using System;
using System.Collections.Generic;
using System.Linq;
using Shootdown.Simulation;

namespace Shootdown.Runtime.Tests.Differential
{
    /// <summary>
    /// Descriptors drawn over the whole valid space, compiled at test time in one compilation, each run against the
    /// reference on a random program.
    /// </summary>
    public sealed class DescriptorSpaceDifferentialTests
    {
        private const int SpaceSeed = 20240611;
        private const int Count = 240;

        private static readonly Lazy<IReadOnlyList<ArchDescriptor>> Drawn = new(() => DescriptorSpace.Draw(Count, SpaceSeed));

        [Fact]
        public void Drawn_descriptors_are_valid_and_cover_every_axis()
        {
            var all = Drawn.Value;
            Assert.True(all.Count >= 200, $"only {all.Count} descriptors");
            Assert.All(all, d => Assert.True(DescriptorSpace.Runnable(d), d.ToString()));
            Assert.Equal(new[] { 2, 3, 4, 5 }, all.Select(d => d.Levels).Distinct().Order());
            Assert.Equal(new[] { 4096, 16384, 65536 }, all.Select(d => d.PageSize).Distinct().Order());
            Assert.Equal(new[] { 1, 2, 4 }, all.Select(d => d.FragmentsPerPage).Distinct().Order());
            Assert.Equal(new[] { (32, 32), (64, 32), (64, 64) }, all.Select(d => (d.PteBits, d.WordBits)).Distinct().Order());
            Assert.Equal(3, all.Select(d => d.Walker).Distinct().Count());
            foreach (var axis in new Func<ArchDescriptor, bool>[]
            {
                d => d.Invalidation == Invalidation.Ipi, d => d.SynchronousOnClear, d => d.SoftwareTlbRefill, d => d.FastGup,
                d => d.PteSpecial, d => d.FastGup && d.PteRead == PteRead.LowHighSplit && !d.PteWiderThanWord,
            })
            {
                Assert.Contains(all, d => axis(d));
                Assert.Contains(all, d => !axis(d));
            }
            // Every option set that some machine makes valid (NO_GATHER needs TABLE_FREE, NO_TABLE_INVALIDATE needs RCU).
            var validOptionSets = Enumerable.Range(0, 256).Count(bits =>
            {
                var o = (GatherOptions)bits;
                var tableFree = (o & (GatherOptions.TableFree | GatherOptions.RcuTableFree)) != 0;
                return ((o & GatherOptions.NoGather) == 0 || tableFree) && ((o & GatherOptions.NoTableInvalidate) == 0 || (o & GatherOptions.RcuTableFree) != 0);
            });
            Assert.Equal(validOptionSets, all.Select(d => d.Options).Distinct().Count());
        }

        [Fact]
        public void Generated_code_compiled_at_test_time_matches_the_reference_across_the_descriptor_space()
        {
            var compiled = DescriptorCompiler.Compile(Drawn.Value);
            var failures = new List<string>();
            var traces = new List<RunTrace>();
            for (var i = 0; i < compiled.Count; i++)
            {
                var failure = Differential.Check(compiled[i], seed: 1000 + i, traces);
                if (failure != null) failures.Add(failure);
            }
            Assert.True(failures.Count == 0, $"{failures.Count} of {compiled.Count} descriptors differ from the reference.\n"
                + "First differences by kind (reference -> generated):\n" + Signatures(failures) + "\nThe first report of each kind:\n" + string.Join("\n", failures.GroupBy(Signature).Select(g => g.First())));

            // The programs must have reached the paths worth comparing.
            var kinds = traces.SelectMany(t => t.Events).Select(e => e.Split(' ')[1]).ToHashSet();
            foreach (var kind in new[]
            {
                EventKind.TableBatched, EventKind.BatchAllocated, EventKind.AllocationFailed, EventKind.RcuCallback,
                EventKind.WalkerRead, EventKind.IpiTaken, EventKind.BroadcastFlush, EventKind.WalkCacheFlush, EventKind.CacheFlush,
            })
                Assert.Contains(kind.ToString(), kinds);
        }

        // "cpu0 IpiSent 1 0 0" -> "IpiSent": groups failures by the kinds of events where they part.
        private static string Signatures(IEnumerable<string> failures) => string.Join("\n", failures
            .GroupBy(Signature)
            .OrderByDescending(g => g.Count())
            .Select(g => $"  {g.Count(),4} x {g.Key}"));

        private static string Signature(string failure)
        {
            var lines = failure.Split('\n');
            return Kind(lines, "  expected:") + " -> " + Kind(lines, "  actual:");
        }

        private static string Kind(string[] lines, string prefix)
        {
            var line = lines.FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
            if (line is null) return "(clean-run problem)";
            var parts = line[prefix.Length..].Trim().Split(' ');
            return parts.Length > 1 ? parts[0] + " " + parts[1] : parts[0];
        }
    }
}
