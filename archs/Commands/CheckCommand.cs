using System;
using System.CommandLine;
using Shootdown.Explorer;

namespace Shootdown.Archs.Commands
{
    /// <summary>
    /// <c>shootdown check [ARCH...]</c>: the race explorer. By default every race scenario on every catalog architecture
    /// with its generated code; <c>--descriptor-space</c> compares the explorer with the descriptor rules over every
    /// valid descriptor; <c>--replay ID</c> shows a witness; <c>--write-witnesses DIR</c> writes the docs' SVG witnesses.
    /// </summary>
    public static class CheckCommand
    {
        /// <summary>Exit code when a violation or a disagreement was found.</summary>
        public const int Found = 1;

        /// <summary>The command.</summary>
        public static Command Create()
        {
            var archs = new Argument<string[]>("arch") { Description = "Catalog architectures to check (all when omitted).", Arity = ArgumentArity.ZeroOrMore };
            var json = new Option<bool>("--json") { Description = "Write the results as JSON on standard output." };
            var space = new Option<bool>("--descriptor-space") { Description = "Explore every valid descriptor with the reference and compare with DescriptorRules.IsUnsafe." };
            var sample = new Option<int>("--sample") { Description = "With --descriptor-space: only every n-th descriptor (1 = all).", DefaultValueFactory = _ => 1 };
            var replay = new Option<string?>("--replay") { Description = "Replay a witness id <scenario>:<descriptor-id>:<schedule> and print its lane diagram." };
            var witnesses = new Option<string?>("--write-witnesses") { Description = "Find one witness per race rule and write <rule>.svg and README.md into this directory." };
            var preemptions = new Option<int>("--preemptions") { Description = "Preemption bound of the systematic search (catalog and witnesses).", DefaultValueFactory = _ => SearchBounds.Default.Preemptions };
            var seed = new Option<int>("--seed") { Description = "Seed of the random and PCT searches.", DefaultValueFactory = _ => SearchBounds.Default.Seed };
            var command = new Command("check", "Explore race schedules: prove the catalog safe within bounds, or show the schedule that breaks the invariant.")
            {
                archs, json, space, sample, replay, witnesses, preemptions, seed,
            };
            command.SetAction(result =>
            {
                var bounds = SearchBounds.Default with { Preemptions = result.GetValue(preemptions), Seed = result.GetValue(seed) };
                if (result.GetValue(replay) is string id) return CheckReplay.Run(id, Console.Out, Console.Error);
                if (result.GetValue(witnesses) is string dir) return CheckWitnesses.Run(dir, bounds, Console.Out, Console.Error);
                if (result.GetValue(space)) return CheckDescriptorSpace.Run(result.GetValue(sample), result.GetValue(json), Console.Out, Console.Error);
                return CheckCatalog.Run(result.GetValue(archs) ?? Array.Empty<string>(), bounds, result.GetValue(json), Console.Out, Console.Error);
            });
            return command;
        }
    }
}
