using System;
using System.IO;
using System.Text.Json;
using Shootdown.Archs.Commands;
using Shootdown.Explorer;

namespace Shootdown.Package.Tests.Check
{
    /// <summary>The command line: ranges, one-line errors and replay, run in-process.</summary>
    [Collection(nameof(ConsoleCollection))]
    public sealed class CommandLineTests
    {
        private const string Unsafe = "bcast.L4.4k.f1.pte64w64.special.walkcache.norefill.opt-tf.gup-load";

        private static (int Code, string Error) RunMain(params string[] args)
        {
            var saved = Console.Error;
            var error = new StringWriter();
            Console.SetError(error);
            try
            {
                return (Archs.Program.Main(args), error.ToString());
            }
            finally
            {
                Console.SetError(saved);
            }
        }

        [Theory]
        [InlineData("--preemptions", "-1")]
        [InlineData("--preemptions", "2147483647")]
        [InlineData("--preemptions", "99999999")]
        [InlineData("--max-executions", "0")]
        [InlineData("--max-steps", "-5")]
        [InlineData("--random", "-1")]
        [InlineData("--sample", "0")]
        public void An_out_of_range_value_is_one_line_and_exit_2(string option, string value)
        {
            var (code, error) = RunMain("check", option, value);
            Assert.Equal(2, code);
            Assert.Single(error.Trim().Split('\n'));
            Assert.Contains("out of range", error, StringComparison.Ordinal);
        }

        /// <summary>Every option of every command with a value it refuses: below and above its range, a word, past int.</summary>
        public static TheoryData<string, string, string> BadValues()
        {
            var data = new TheoryData<string, string, string>();
            foreach (var command in new[] { ListCommand.Create(), ShowCommand.Create(), CheckCommand.Create() })
            {
                foreach (var option in command.Options)
                {
                    if (option is System.CommandLine.Option<int>)
                    {
                        var range = System.Text.RegularExpressions.Regex.Match(option.Description ?? "", @"\[(-?\d+)\.\.(-?\d+),");
                        Assert.True(range.Success, $"{command.Name} {option.Name} states no range: {option.Description}");
                        var min = long.Parse(range.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
                        var max = long.Parse(range.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
                        foreach (var bad in new[] { (min - 1).ToString(System.Globalization.CultureInfo.InvariantCulture), (max + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), "abc", "1e3", "99999999999" })
                            data.Add(command.Name, option.Name, bad);
                    }
                    else if (option is System.CommandLine.Option<string> or System.CommandLine.Option<string?>)
                    {
                        // Names, paths and ids: one that names nothing; for an output directory, one under a file, which cannot be made.
                        var nowhere = option.Name == "--write-witnesses" ? Path.Combine(typeof(CommandLineTests).Assembly.Location, "witnesses") : "/no/such/place/x";
                        data.Add(command.Name, option.Name, option.Name == "--search" ? "bogus" : nowhere);
                    }
                }
            }
            return data;
        }

        [Theory]
        [MemberData(nameof(BadValues))]
        public void Every_option_of_every_command_refuses_a_bad_value_in_one_line_with_exit_2(string command, string option, string value)
        {
            var (code, error) = RunMain(command, option, value);
            Assert.True(code == 2, $"{command} {option} {value}: exit {code}\n{error}");
            Assert.Single(error.Trim().Split('\n'));
            Assert.DoesNotContain("exception", error, StringComparison.OrdinalIgnoreCase);
        }

        [Theory]
        [InlineData("munmap-vs-gup-fast:arm64:1.0", "old-format")]
        [InlineData("v2:munmap-vs-gup-fast:reference:bcast.L9:1", "not a descriptor id")]
        [InlineData("v2:no-such-scenario:reference:" + Unsafe + ":1", "unknown scenario")]
        [InlineData("v2:munmap-vs-gup-fast:reference:bcast.L4.4k.f1.pte64w64.special.walkcache.norefill.opt-rcu.nogup-load:1", "does not apply")]
        public void A_bad_replay_id_is_one_line_and_exit_2(string id, string reason)
        {
            var error = new StringWriter();
            Assert.Equal(2, CheckReplay.Run(id, null, json: false, TextWriter.Null, error));
            Assert.Single(error.ToString().Trim().Split('\n'));
            Assert.Contains(reason, error.ToString(), StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("check", "--mutants", "--mutant", "no-such-bug", "arm64")]
        [InlineData("check", "--mutant", "free-pages-before-flush", "arm64")]
        public void A_mutant_option_that_names_nothing_or_comes_alone_is_one_line_and_exit_2(params string[] args)
        {
            var (code, error) = RunMain(args);
            Assert.Equal(2, code);
            Assert.Single(error.Trim().Split('\n'));
            Assert.Contains("mutant", error, StringComparison.Ordinal);
        }

        [Fact]
        public void One_row_of_the_kill_matrix_runs_only_the_mutant_named()
        {
            var output = new StringWriter();
            var saved = Console.Out;
            Console.SetOut(output);
            int code;
            try
            {
                code = Archs.Program.Main(new[] { "check", "--mutants", "--mutant", "tables-freed-before-flush", "arm64", "um" });
            }
            finally
            {
                Console.SetOut(saved);
            }
            var text = output.ToString();
            Assert.Equal(0, code);
            Assert.Contains("mutation suite: 1 mutants x 2 architectures", text, StringComparison.Ordinal);
            Assert.Matches(@"tables-freed-before-flush\s+06824ba824b3\s+killed\s+n/a", text);
            Assert.DoesNotContain("nested-flush-ignored", text, StringComparison.Ordinal);
        }

        [Fact]
        public void A_witness_id_replays_with_json_and_its_rows_follow_the_schedule()
        {
            var d = DescriptorId.TryDecode(Unsafe, out var decoded, out var why) ? decoded : throw new InvalidOperationException(why);
            var report = RaceExplorer.Explore(RaceScenarios.Find("munmap-vs-gup-fast")!, d, Simulation.ArchitectureOps.Reference,
                SearchBounds.Default with { Preemptions = 1, Random = 0, Pct = 0 });
            var output = new StringWriter();
            Assert.Equal(1, CheckReplay.Run(report.WitnessId!, null, json: true, output, TextWriter.Null));
            using var doc = JsonDocument.Parse(output.ToString());
            Assert.True(doc.RootElement.GetProperty("violation").GetBoolean());
            Assert.Equal(report.WitnessId, doc.RootElement.GetProperty("id").GetString());
            var rows = System.Linq.Enumerable.ToList(doc.RootElement.GetProperty("rows").EnumerateArray());
            var free = rows.FindIndex(r => r.GetProperty("text").GetString()!.Contains("page-table page", StringComparison.Ordinal) && r.GetProperty("text").GetString()!.Contains("freed", StringComparison.Ordinal));
            var broken = rows.FindIndex(r => r.GetProperty("violation").GetBoolean());
            Assert.True(free >= 0 && broken > free, $"rows follow the schedule: the table is freed (row {free}) before the read that breaks (row {broken})");
        }

        [Fact]
        public void Check_help_documents_assembly_project_allow_inconclusive_and_exit_codes()
        {
            var saved = Console.Out;
            var output = new StringWriter();
            Console.SetOut(output);
            try
            {
                Archs.Program.Main(new[] { "check", "--help" });
            }
            finally
            {
                Console.SetOut(saved);
            }
            var help = output.ToString();
            foreach (var word in new[] { "--assembly", "--project", "--allow-inconclusive", "3 inconclusive", "1 violation", "--max-executions" })
                Assert.Contains(word, help, StringComparison.Ordinal);
        }
    }

    /// <summary>Tests that swap Console.Out or Console.Error run one at a time.</summary>
    [CollectionDefinition(nameof(ConsoleCollection), DisableParallelization = true)]
    public sealed class ConsoleCollection
    {
    }
}
