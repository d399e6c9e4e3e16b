using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using Shootdown.Archs.Catalog;
using Shootdown.Archs.Commands;
using Shootdown.Explorer;
using Shootdown.Simulation;

namespace Shootdown.Package.Tests.Check
{
    /// <summary>Sharded checks: the same rows, verdicts, witnesses and order for any degree of parallelism.</summary>
    public sealed class ParallelCheckTests
    {
        private static readonly SearchBounds Small = SearchBounds.Default with { Preemptions = 1, Random = 0, Pct = 0, MaxSystematic = 2000 };

        // arm64 one option away from safe (TABLE_FREE without RCU: fast GUP reads a freed PTE table), so witnesses are compared too.
        private const string Unsafe = "bcast.L4.4k.f1.pte64w64.special.walkcache.norefill.opt-tf.gup-load";

        private static IReadOnlyList<(ArchDescriptor, ArchitectureOps)> Subjects()
        {
            Assert.True(DescriptorId.TryDecode(Unsafe, out var unsafeOne, out var error), error);
            return new List<(ArchDescriptor, ArchitectureOps)>
            {
                (ArchitectureCatalog.Find("arm64")!.Descriptor, ArchitectureCatalog.Find("arm64")!),
                (unsafeOne, ArchitectureOps.Reference),
                (ArchitectureCatalog.Find("x86-pae")!.Descriptor, ArchitectureOps.Reference),
            };
        }

        private static List<string> Fingerprint(IReadOnlyList<RaceCheckResult> results) =>
            results.SelectMany(r => r.Scenarios.Select(s =>
                $"{r.Descriptor.Name} {r.Subject.Name} {s.Scenario} {s.Verdict.Kind} {s.Report.Executions} {s.Report.Pruned} {s.Report.Exhausted} {s.WitnessId}")).ToList();

        [Fact]
        public void Verdicts_witnesses_and_their_order_do_not_depend_on_parallelism()
        {
            var handedOn = new List<int>();
            var one = RaceCheck.Run(Subjects(), new RaceCheckOptions { Bounds = Small, Parallelism = 1 });
            var three = RaceCheck.Run(Subjects(), new RaceCheckOptions { Bounds = Small, Parallelism = 3, OnExplored = d => handedOn.Add(d.Index) });
            Assert.Equal(Fingerprint(one), Fingerprint(three));
            Assert.Contains(one, r => r.Violated);
            Assert.Contains(one, r => r.Proved);
            Assert.Equal(Enumerable.Range(0, handedOn.Count), handedOn);
            Assert.Equal(one.Sum(r => r.Scenarios.Count), handedOn.Count);
        }

        [Fact]
        public void The_command_prints_the_same_rows_for_one_job_and_for_several()
        {
            var targets = new[] { ArchitectureCatalog.Find("arm64")!, ArchitectureCatalog.Find("riscv64")! };
            string Rows(int jobs)
            {
                var output = new StringWriter();
                var code = CheckCatalog.Run(targets, Small, json: true, allowInconclusive: true, CancellationToken.None, output, new StringWriter(), jobs);
                Assert.Equal(0, code);
                using var doc = JsonDocument.Parse(output.ToString());
                return string.Join("\n", doc.RootElement.GetProperty("results").EnumerateArray().Select(r =>
                    $"{r.GetProperty("arch")} {r.GetProperty("code")} {r.GetProperty("scenario")} {r.GetProperty("verdict")} {r.GetProperty("executions")} {r.GetProperty("witness")}"));
            }
            var serial = Rows(1);
            Assert.Equal(serial, Rows(2));
            Assert.Contains("arm64 generated", serial, StringComparison.Ordinal);
            Assert.Contains("riscv64 reference", serial, StringComparison.Ordinal);
        }

        [Fact]
        public void Results_are_handed_on_in_order_even_when_later_jobs_finish_first()
        {
            var handedOn = new List<(int, int)>();
            // Job i sleeps longer the smaller i is, so the jobs finish in reverse order on 4 threads.
            var results = InOrder.Run(8, 4, i =>
            {
                Thread.Sleep((8 - i) * 15);
                return i * i;
            }, (i, r) => handedOn.Add((i, r)));
            Assert.Equal(Enumerable.Range(0, 8).Select(i => i * i), results);
            Assert.Equal(Enumerable.Range(0, 8).Select(i => (i, i * i)), handedOn);
        }

        [Fact]
        public void A_cancelled_run_keeps_the_finished_prefix_and_starts_nothing_new()
        {
            using var cancel = new CancellationTokenSource();
            var started = 0;
            var results = InOrder.Run(100, 2, i =>
            {
                Interlocked.Increment(ref started);
                if (i == 5) cancel.Cancel();
                return i;
            }, cancel: cancel.Token);
            Assert.True(results.Count >= 5 && results.Count < 100, $"{results.Count} results");
            Assert.Equal(Enumerable.Range(0, results.Count), results);
            Assert.True(started < 100, $"{started} started");
        }

        [Fact]
        public void A_failing_job_fails_the_run_with_its_own_exception()
        {
            var e = Assert.Throws<InvalidOperationException>(() => InOrder.Run<int>(6, 2, i => i == 3 ? throw new InvalidOperationException("job 3") : i));
            Assert.Equal("job 3", e.Message);
        }
    }
}
