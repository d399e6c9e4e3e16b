using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Threading;
using Shootdown.Archs.Catalog;
using Shootdown.Archs.Registry;
using Shootdown.Explorer;
using Shootdown.Simulation;

namespace Shootdown.Archs.Commands
{
    /// <summary>
    /// <c>shootdown check [ARCH...]</c>: the race explorer. By default every race scenario on every catalog architecture
    /// with its generated code; <c>--assembly</c> / <c>--project</c> check the user's own classes; <c>--descriptor-space</c>
    /// compares the explorer with the descriptor rules over every valid descriptor; <c>--replay ID</c> shows a witness;
    /// <c>--write-witnesses DIR</c> writes the docs' SVG witnesses.
    /// </summary>
    public static class CheckCommand
    {
        /// <summary>Exit code when a violation or a disagreement was found.</summary>
        public const int Found = 1;

        /// <summary>What the exit codes mean, as help prints it.</summary>
        public const string ExitCodes = "Exit codes: 0 proved (or inconclusive with --allow-inconclusive), 1 violation, 2 bad command line or input, 3 inconclusive (a cap was hit), 130 interrupted (Ctrl+C).";

        /// <summary>The command.</summary>
        public static Command Create()
        {
            var archs = new Argument<string[]>("arch") { Description = "Architectures to check by name (all when omitted): the catalog's, or with --assembly the assembly's.", Arity = ArgumentArity.ZeroOrMore };
            var json = new Option<bool>("--json") { Description = "Write the results as JSON (camelCase keys) on standard output." };
            var space = new Option<bool>("--descriptor-space") { Description = "Explore every valid descriptor with the reference and compare with DescriptorRules.IsUnsafe." };
            var sample = Ranges.Int("--sample", "With --descriptor-space: only every n-th descriptor (1 = all).", 1, 1, 1_000_000);
            var replay = new Option<string?>("--replay") { Description = "Replay a witness id v2:<scenario>:<generated|reference>:<descriptor-id>:<schedule> and print its lane diagram." };
            var witnesses = new Option<string?>("--write-witnesses") { Description = "Find one witness per race rule and write <rule>.svg and README.md into this directory." };
            var preemptions = Ranges.Int("--preemptions", "Preemption bound k of the systematic search.", SearchBounds.Default.Preemptions, 0, 6);
            var maxExecutions = Ranges.Int("--max-executions", "Cap on systematic executions per exploration; hitting it makes the verdict inconclusive.", SearchBounds.Default.MaxSystematic, 1, 10_000_000);
            var maxSteps = Ranges.Int("--max-steps", "Scheduling points per execution before it counts as endless.", SearchBounds.Default.MaxSteps, 100, 1_000_000);
            var random = Ranges.Int("--random", "Seeded random executions per exploration.", SearchBounds.Default.Random, 0, 1_000_000);
            var pct = Ranges.Int("--pct", "PCT executions per exploration.", SearchBounds.Default.Pct, 0, 1_000_000);
            var seed = Ranges.Int("--seed", "Seed of the random and PCT searches.", SearchBounds.Default.Seed, 0, int.MaxValue);
            var assembly = new Option<string?>("--assembly") { Description = "Check every class the Shootdown generator filled in this compiled assembly (path to .dll)." };
            var project = new Option<string?>("--project") { Description = "Build this .csproj (Release) and check its assembly as --assembly does." };
            var search = new Option<string>("--search")
            {
                Description = "Systematic search: dpor (partial-order reduction, the default), exhaustive-dfs (every schedule, the oracle), random or pct (sampling only: never proves).",
                DefaultValueFactory = _ => "dpor",
            };
            search.AcceptOnlyFromAmong("dpor", "exhaustive-dfs", "random", "pct");
            var unbounded = new Option<bool>("--unbounded") { Description = "With --search dpor: no preemption bound (sleep sets), a proof for every interleaving. Exhausts most scenarios; nested gathers, munmap beside MADV_DONTNEED and, where the flush waits for IPIs, shift_arg_pages do not within 100 000 executions (docs/explorer.md)." };
            var bench = new Option<bool>("--bench") { Description = "Benchmark the explorer: exhaustive-dfs against dpor on each scenario of the named (or all) architectures, executions and time side by side." };
            var audit = new Option<bool>("--audit-accesses") { Description = "Debug mode: after every step, fail the execution if it changed page tables, frame records or TLBs without recording the write the explorer's partial-order reduction relies on." };
            var jobs = Ranges.Int("--jobs", "Explorations run at once (0 = one per core); rows, verdicts and witnesses are the same for any value.", 0, 0, 256);
            var mutants = new Option<bool>("--mutants") { Description = "Run the mutation suite: every historical bug put back into the reference, on the named (or all) architectures, as a kill matrix (docs/mutation.md)." };
            var mutant = new Option<string[]>("--mutant") { Description = "With --mutants: only the mutant of this name (repeatable), for one row of the kill matrix." };
            var allow = new Option<bool>("--allow-inconclusive") { Description = "Exit 0 rather than 3 when a cap stopped a search before it was exhausted." };
            var command = new Command("check", "Explore race schedules: prove an architecture safe within bounds, or show the schedule that breaks the invariant. " + ExitCodes)
            {
                archs, json, space, sample, replay, witnesses, preemptions, maxExecutions, maxSteps, random, pct, seed, search, unbounded, bench, audit, jobs, assembly, project, allow, mutants, mutant,
            };
            command.SetAction(result =>
            {
                var bounds = SearchBounds.Default with
                {
                    Preemptions = result.GetValue(preemptions), MaxSystematic = result.GetValue(maxExecutions), MaxSteps = result.GetValue(maxSteps),
                    Random = result.GetValue(random), Pct = result.GetValue(pct), Seed = result.GetValue(seed),
                    Search = ParseSearch(result.GetValue(search)), Unbounded = result.GetValue(unbounded),
                    AuditAccesses = result.GetValue(audit),
                };
                if (bounds.Unbounded && bounds.Search != SearchMode.Dpor)
                {
                    Console.Error.WriteLine("--unbounded needs --search dpor: only partial-order reduction can cover every interleaving");
                    return Program.UsageError;
                }
                var asm = result.GetValue(assembly);
                if (result.GetValue(project) is string csproj)
                {
                    if (!ProjectBuild.TryBuild(csproj, Console.Error, out var built, out var buildError))
                    {
                        Console.Error.WriteLine(buildError);
                        return Program.UsageError;
                    }
                    asm = built;
                }
                if (result.GetValue(replay) is string id) return CheckReplay.Run(id, asm, result.GetValue(json), Console.Out, Console.Error);
                if (result.GetValue(witnesses) is string dir) return CheckWitnesses.Run(dir, bounds, Console.Out, Console.Error);
                if (result.GetValue(space)) return CheckDescriptorSpace.Run(result.GetValue(sample), result.GetValue(json), Console.Out, Console.Error, bounds.Search, result.GetValue(jobs));
                if (!Targets.TryResolve(result.GetValue(archs) ?? Array.Empty<string>(), asm, out var targets, out var why))
                {
                    Console.Error.WriteLine(why);
                    return Program.UsageError;
                }
                if (result.GetValue(bench)) return CheckBench.Run(targets, bounds, Console.Out);
                var only = result.GetValue(mutant) ?? Array.Empty<string>();
                if (only.Length > 0 && !result.GetValue(mutants))
                {
                    Console.Error.WriteLine("--mutant needs --mutants: it picks rows of the mutation suite's kill matrix");
                    return Program.UsageError;
                }
                if (result.GetValue(mutants))
                {
                    if (!CheckMutants.TryPick(only, out var rows, out var unknown))
                    {
                        Console.Error.WriteLine(unknown);
                        return Program.UsageError;
                    }
                    return CheckMutants.Run(targets, Console.Out, rows);
                }
                using var cancel = new CancellationTokenSource();
                ConsoleCancelEventHandler stop = (_, e) =>
                {
                    // The first Ctrl+C stops the exploration under way after its current execution and prints what was done; a second one kills.
                    if (cancel.IsCancellationRequested) return;
                    e.Cancel = true;
                    cancel.Cancel();
                    Console.Error.WriteLine("\ninterrupted: stopping the explorations under way after their current execution, then printing what was done");
                };
                Console.CancelKeyPress += stop;
                try
                {
                    return CheckCatalog.Run(targets, bounds, result.GetValue(json), result.GetValue(allow), cancel.Token, Console.Out, Console.Error, result.GetValue(jobs));
                }
                finally
                {
                    Console.CancelKeyPress -= stop;
                }
            });
            return command;
        }

        private static SearchMode ParseSearch(string? name) => name switch
        {
            "exhaustive-dfs" => SearchMode.ExhaustiveDfs,
            "random" => SearchMode.Random,
            "pct" => SearchMode.Pct,
            _ => SearchMode.Dpor,
        };
    }

    /// <summary>The architectures a command runs on: catalog names, or the classes of a user's assembly.</summary>
    public static class Targets
    {
        /// <summary>Resolves <paramref name="names"/> (all when empty) in the catalog or in <paramref name="assembly"/>; false with one line.</summary>
        public static bool TryResolve(IReadOnlyList<string> names, string? assembly, out IReadOnlyList<ArchitectureOps> targets, out string error)
        {
            IReadOnlyList<ArchitectureOps> pool = ArchitectureCatalog.All;
            targets = Array.Empty<ArchitectureOps>();
            if (assembly != null && !UserAssembly.TryLoad(assembly, out pool, out error)) return false;
            var chosen = new List<ArchitectureOps>();
            foreach (var name in names)
            {
                var found = ((List<ArchitectureOps>)[.. pool]).Find(o => string.Equals(o.Name, name, StringComparison.OrdinalIgnoreCase));
                if (found is null)
                {
                    var names2 = new List<string>();
                    foreach (var o in pool) names2.Add(o.Name);
                    error = $"unknown architecture '{name}'; valid names: {string.Join(", ", names2)}";
                    return false;
                }
                chosen.Add(found);
            }
            targets = chosen.Count == 0 ? pool : chosen;
            error = "";
            return true;
        }
    }
}
