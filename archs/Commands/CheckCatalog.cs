using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using Shootdown.Archs.Catalog;
using Shootdown.Explorer;
using Shootdown.Simulation;

namespace Shootdown.Archs.Commands
{
    /// <summary><c>check [ARCH...]</c>: every scenario on each catalog architecture, with its generated code and with the reference.</summary>
    public static class CheckCatalog
    {
        /// <summary>Checks <paramref name="names"/> (all when empty); 0 when nothing broke, 1 when something did, 2 for an unknown name.</summary>
        public static int Run(IReadOnlyList<string> names, SearchBounds bounds, bool json, TextWriter output, TextWriter error)
        {
            var entries = new List<GeneratedArchitecture>();
            foreach (var name in names)
            {
                var entry = ArchitectureCatalog.FindEntry(name);
                if (entry is null)
                {
                    error.WriteLine($"unknown architecture '{name}'; valid names: {string.Join(", ", ArchitectureCatalog.Names)}");
                    return Program.UsageError;
                }
                entries.Add(entry);
            }
            if (entries.Count == 0) entries.AddRange(ArchitectureCatalog.Entries);
            var results = new List<object>();
            var bad = 0;
            var total = 0;
            var executions = 0;
            var clock = System.Diagnostics.Stopwatch.StartNew();
            foreach (var entry in entries)
            {
                var d = entry.Ops.Descriptor;
                foreach (var subject in new[] { entry.Ops, ArchitectureOps.Reference })
                {
                    foreach (var scenario in RaceScenarios.All)
                    {
                        if (!scenario.AppliesTo(d)) continue;
                        total++;
                        error.Write($"\r[{total}] {entry.Name} {scenario.Name} ({subject.Name})...".PadRight(78));
                        var report = RaceExplorer.Explore(scenario, d, subject, bounds);
                        executions += report.Executions;
                        if (!report.Clean) bad++;
                        if (!json)
                        {
                            error.Write("\r" + new string(' ', 78) + "\r");
                            output.WriteLine($"{(report.Clean ? "  ok " : "FAIL ")} {entry.Name,-16} {scenario.Name,-34} {subject.Name,-16} {report.Executions,6} executions" +
                                $"{(report.Exhausted ? "" : " (bound not exhausted)")}{(report.Clean ? "" : $"\n       {Problem(report)}")}");
                        }
                        results.Add(new
                        {
                            arch = entry.Name,
                            subject = subject.Name,
                            generated = subject.IsGenerated,
                            scenario = scenario.Name,
                            clean = report.Clean,
                            exhausted = report.Exhausted,
                            executions = report.Executions,
                            systematic = report.Systematic,
                            random = report.Random,
                            pct = report.Pct,
                            violating = report.Violating,
                            errors = report.Errors,
                            witness = report.WitnessId,
                            problem = report.Clean ? null : Problem(report),
                            seconds = report.Elapsed.TotalSeconds,
                        });
                    }
                }
            }
            error.Write("\r" + new string(' ', 78) + "\r");
            if (json)
            {
                output.WriteLine(JsonSerializer.Serialize(new
                {
                    bounds = new { bounds.Preemptions, bounds.Random, bounds.Pct, bounds.PctDepth, bounds.Seed, bounds.MaxSystematic },
                    explorations = total,
                    failed = bad,
                    executions,
                    seconds = clock.Elapsed.TotalSeconds,
                    results,
                }, new JsonSerializerOptions { WriteIndented = true }));
            }
            else
            {
                output.WriteLine($"{total} explorations, {executions} executions in {clock.Elapsed.TotalSeconds:0.0} s, preemption bound {bounds.Preemptions}, " +
                    $"{bounds.Random} random and {bounds.Pct} PCT runs each: {(bad == 0 ? "no schedule breaks the invariant" : $"{bad} broke it (replay with check --replay ID)")}");
            }
            return bad == 0 ? 0 : CheckCommand.Found;
        }

        private static string Problem(ExplorationReport report) =>
            report.Witness is { } w ? $"{w.FirstProblem}; replay: {report.WitnessId}" : report.FirstError?.FirstProblem ?? "";
    }
}
