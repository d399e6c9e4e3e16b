using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using Shootdown.Explorer;

namespace Shootdown.Archs.Commands
{
    /// <summary><c>check --descriptor-space</c>: explorer against <c>DescriptorRules.IsUnsafe</c> over every valid descriptor.</summary>
    public static class CheckDescriptorSpace
    {
        /// <summary>Runs the agreement on every <paramref name="every"/>-th valid descriptor; 0 when rules and explorer agree on all.</summary>
        public static int Run(int every, bool json, TextWriter output, TextWriter error, SearchMode search = SearchMode.Dpor, int jobs = 0)
        {
            if (every < 1)
            {
                error.WriteLine($"--sample must be 1 or more, not {every}");
                return Program.UsageError;
            }
            var all = DescriptorSpace.Valid();
            var space = new List<ArchDescriptor>();
            for (var i = 0; i < all.Count; i += every) space.Add(all[i]);
            var last = DateTime.UtcNow;
            var report = Agreement.Run(space, SearchBounds.Verdict with { Search = search }, jobs, (done, total) =>
            {
                var now = DateTime.UtcNow;
                if (done != total && (now - last).TotalMilliseconds < 500) return;
                last = now;
                lock (error) error.Write($"\r{done}/{total} descriptors explored".PadRight(40));
            });
            error.Write("\r" + new string(' ', 40) + "\r");
            if (json)
            {
                var rows = new List<object>();
                foreach (var v in report.Verdicts)
                    rows.Add(new { descriptor = v.Descriptor.Name, rules = v.RaceRules, found = v.Found, agrees = v.Agrees, witness = v.WitnessId, problem = v.Problem, error = v.Error, executions = v.Executions, exhausted = v.Exhausted });
                output.WriteLine(JsonSerializer.Serialize(new
                {
                    descriptors = report.Verdicts.Count,
                    tp = report.TruePositives,
                    fp = report.FalsePositives,
                    fn = report.FalseNegatives,
                    tn = report.TrueNegatives,
                    errors = report.Errors,
                    executions = report.Executions,
                    seconds = report.Elapsed.TotalSeconds,
                    bounds = new { report.Bounds.Preemptions, report.Bounds.Random, report.Bounds.Pct, report.Bounds.PctDepth, report.Bounds.MaxSystematic },
                    verdicts = rows,
                }, Json.Options));
            }
            else
            {
                output.Write(report.Table());
                foreach (var v in report.Verdicts)
                {
                    if (v.Agrees) continue;
                    var kind = v.Error != null ? "ERROR" : v.Found ? "FP" : "FN";
                    output.WriteLine($"{kind} {v.Descriptor.Name} rules [{string.Join(", ", v.RaceRules)}]: {v.Problem ?? v.Error ?? "no violation within the bounds"}{(v.WitnessId is null ? "" : " replay: " + v.WitnessId)}");
                }
            }
            return report.Agrees ? 0 : CheckCommand.Found;
        }
    }
}
