using System;
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
    /// <summary>Three-way verdicts: the test API, the console summary, JSON and exit codes say the same thing.</summary>
    public sealed class VerdictTests
    {
        // Arm64 one option away: MMU_GATHER_TABLE_FREE without RCU, so fast GUP reads a freed PTE table (docs/races).
        private const string Unsafe = "bcast.L4.4k.f1.pte64w64.special.walkcache.norefill.opt-tf.gup-load";

        private static readonly SearchBounds Small = SearchBounds.Default with { Preemptions = 1, Random = 0, Pct = 0 };

        private static ArchDescriptor Decode(string id)
        {
            Assert.True(DescriptorId.TryDecode(id, out var d, out var error), error);
            return d;
        }

        [Fact]
        public void The_test_API_finds_the_witness_and_its_summary_prints_the_replay_id_and_lanes()
        {
            var result = RaceCheck.Run(Decode(Unsafe), ArchitectureOps.Reference, new RaceCheckOptions { Bounds = Small, Scenarios = new[] { "munmap-vs-gup-fast" } });
            Assert.Equal(VerdictKind.Violation, result.Verdict);
            var s = Assert.Single(result.Scenarios);
            Assert.StartsWith("violation: munmap-vs-gup-fast", s.Verdict.Sentence, StringComparison.Ordinal);
            Assert.StartsWith("v2:munmap-vs-gup-fast:reference:" + Unsafe + ":", s.WitnessId, StringComparison.Ordinal);
            Assert.Contains("VIOLATION", s.LaneDiagram, StringComparison.Ordinal);
            var thrown = Assert.Throws<RaceCheckException>(result.ThrowIfViolated);
            Assert.Contains(s.WitnessId!, thrown.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void A_generated_class_is_proved_within_its_bound_and_the_sentence_states_the_bound()
        {
            var result = RaceCheck.Run(typeof(Arm64), new RaceCheckOptions { Bounds = Small, Scenarios = new[] { "munmap-vs-gup-fast" } });
            Assert.True(result.Proved, result.Summary);
            result.ThrowIfNotProved();
            Assert.Contains("at most 1 preemption", result.Scenarios[0].Verdict.Sentence, StringComparison.Ordinal);
            Assert.Contains("exhausted", result.Scenarios[0].Verdict.Sentence, StringComparison.Ordinal);
            Assert.Throws<ArgumentException>(() => RaceCheck.OpsOf(typeof(VerdictTests)));
        }

        [Fact]
        public void A_search_stopped_by_its_cap_is_inconclusive_never_proved_and_exits_3()
        {
            var capped = Small with { MaxSystematic = 1 };
            var output = new StringWriter();
            var code = CheckCatalog.Run(new[] { X86_64.Ops }, capped, json: false, allowInconclusive: false, CancellationToken.None, output, TextWriter.Null);
            Assert.Equal(3, code);
            var text = output.ToString();
            Assert.Contains("inconclusive: ", text, StringComparison.Ordinal);
            Assert.Contains("cap of 1 executions", text, StringComparison.Ordinal);
            Assert.Contains("raise --max-executions", text, StringComparison.Ordinal);
            Assert.DoesNotContain("no schedule breaks", text, StringComparison.Ordinal);
            Assert.Contains(CheckCatalog.Legend, text, StringComparison.Ordinal);
            // Every column of a row is in the legend: the verdict, arch, scenario, code, executions, seconds and pruned runs.
            foreach (var column in new[] { "verdict:", "arch", "scenario", "code", "executions", "s:", "pruned:" })
                Assert.Contains(column, CheckCatalog.Legend, StringComparison.Ordinal);
            Assert.Equal(0, CheckCatalog.Run(new[] { X86_64.Ops }, capped, json: false, allowInconclusive: true, CancellationToken.None, TextWriter.Null, TextWriter.Null));
        }

        [Fact]
        public void An_unbounded_search_stopped_by_its_cap_names_the_scenarios_unbounded_mode_does_not_exhaust()
        {
            var capped = Small with { MaxSystematic = 1, Unbounded = true };
            var output = new StringWriter();
            var code = CheckCatalog.Run(new[] { X86_64.Ops }, capped, json: false, allowInconclusive: false, CancellationToken.None, output, TextWriter.Null);
            Assert.Equal(3, code);
            var text = output.ToString();
            Assert.Contains("dpor, no preemption bound", text, StringComparison.Ordinal);
            Assert.Contains("nested gathers and munmap beside MADV_DONTNEED", text, StringComparison.Ordinal);
            Assert.Contains("docs/explorer.md, Unbounded mode", text, StringComparison.Ordinal);
            Assert.DoesNotContain("lower --preemptions", text, StringComparison.Ordinal);
        }

        [Fact]
        public void Json_carries_the_verdict_in_camelCase()
        {
            var output = new StringWriter();
            CheckCatalog.Run(new[] { X86_64.Ops }, Small with { MaxSystematic = 1 }, json: true, allowInconclusive: false, CancellationToken.None, output, TextWriter.Null);
            using var doc = JsonDocument.Parse(output.ToString());
            var root = doc.RootElement;
            Assert.Equal("inconclusive", root.GetProperty("verdict").GetString());
            Assert.Equal(1, root.GetProperty("bounds").GetProperty("preemptions").GetInt32());
            Assert.Equal(1, root.GetProperty("bounds").GetProperty("maxSystematic").GetInt32());
            var first = root.GetProperty("results").EnumerateArray().First();
            Assert.Equal("inconclusive", first.GetProperty("verdict").GetString());
            Assert.Equal("maxSystematic", first.GetProperty("cap").GetString());
        }

        [Fact]
        public void Ctrl_C_during_an_exploration_stops_it_reports_it_inconclusive_and_exits_130()
        {
            // The plain search with six preemptions on x86-64 runs for minutes, far past the 300 ms before the cancellation.
            var long_ = Small with { Preemptions = 6, MaxSystematic = 10_000_000, Search = SearchMode.ExhaustiveDfs };
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            var output = new StringWriter();
            var code = CheckCatalog.Run(new[] { X86_64.Ops }, long_, json: false, allowInconclusive: true, cancel.Token, output, TextWriter.Null);
            Assert.Equal(Archs.Program.Interrupted, code);
            var text = output.ToString();
            Assert.Matches(@"inconclusive: \S+ on .*: interrupted after \d+ executions", text);
            Assert.Contains("(interrupted)", text, StringComparison.Ordinal);
            Assert.DoesNotContain("proved: in every scenario", text, StringComparison.Ordinal);
        }

        [Fact]
        public void A_cancelled_check_reports_what_was_done_and_claims_nothing_proved()
        {
            using var cancel = new CancellationTokenSource();
            cancel.Cancel();
            var output = new StringWriter();
            var code = CheckCatalog.Run(new[] { X86_64.Ops }, Small, json: false, allowInconclusive: true, cancel.Token, output, TextWriter.Null);
            Assert.Equal(Archs.Program.Interrupted, code);
            Assert.Contains("(interrupted)", output.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain("proved: in every scenario", output.ToString(), StringComparison.Ordinal);
        }
    }
}
