using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using Shootdown.Archs.Catalog;
using Shootdown.Archs.Registry;
using Shootdown.Explorer;
using Shootdown.Simulation;

namespace Shootdown.Archs.Commands
{
    /// <summary>
    /// <c>check --replay ID [--assembly X.dll] [--json]</c>: runs a witness again and prints it as a lane diagram. The id
    /// carries the full descriptor, so without an assembly the witness runs on the code the descriptor determines: the
    /// catalog's generated code for that descriptor if there is one, else the reference. With <c>--assembly</c> it runs on
    /// the user's class with that descriptor as well and says whether the two disagree.
    /// </summary>
    public static class CheckReplay
    {
        /// <summary>The code a descriptor determines without a user assembly, and the sentence that says which one it is.</summary>
        public static (ArchitectureOps Subject, string Which) CodeFor(ArchDescriptor d, bool generated)
        {
            var token = DescriptorId.Encode(d);
            if (generated)
            {
                foreach (var ops in ArchitectureCatalog.All)
                {
                    if (DescriptorId.Encode(ops.Descriptor) == token) return (ops, $"the catalog's generated code for {ops.Name} (same descriptor)");
                }
                return (ArchitectureOps.Reference, "the reference (no catalog architecture has this descriptor; the generated code it determines follows the reference)");
            }
            return (ArchitectureOps.Reference, "the reference");
        }

        /// <summary>Replays <paramref name="id"/>; 1 when it breaks the invariant (as a witness should), 0 when it does not, 2 for a bad id.</summary>
        public static int Run(string id, string? assembly, bool json, TextWriter output, TextWriter error)
        {
            if (!ReplayId.TryParse(id, out var replay, out var why))
            {
                error.WriteLine(why);
                return Program.UsageError;
            }
            var scenario = RaceScenarios.Find(replay.Scenario);
            if (scenario is null)
            {
                error.WriteLine($"unknown scenario '{replay.Scenario}' in replay id; scenarios: {string.Join(", ", Names())}");
                return Program.UsageError;
            }
            DescriptorId.TryDecode(replay.Descriptor, out var d, out _);
            if (!scenario.AppliesTo(d))
            {
                error.WriteLine($"scenario '{scenario.Name}' does not apply to descriptor {replay.Descriptor}: the id was not produced by check");
                return Program.UsageError;
            }
            var (subject, which) = CodeFor(d, replay.Generated);
            if (replay.Mutants.Length > 0)
                (subject, which) = (ArchitectureOps.WithFaults(replay.Faults), $"the reference with the bug of {replay.Mutants} put back (docs/mutation.md)");
            var e = RaceExplorer.Replay(scenario, d, subject, replay.Schedule);
            Execution? user = null;
            ArchitectureOps? userOps = null;
            if (assembly != null)
            {
                if (!UserAssembly.TryLoad(assembly, out var classes, out why))
                {
                    error.WriteLine(why);
                    return Program.UsageError;
                }
                userOps = ((List<ArchitectureOps>)[.. classes]).Find(o => DescriptorId.Encode(o.Descriptor) == replay.Descriptor);
                if (userOps is null)
                {
                    error.WriteLine($"no class in {Path.GetFileName(assembly)} has the descriptor {replay.Descriptor}");
                    return Program.UsageError;
                }
                user = RaceExplorer.Replay(scenario, d, userOps, replay.Schedule);
            }
            var disagree = user != null && (user.IsViolation != e.IsViolation || user.Steps != e.Steps || user.FirstProblem != e.FirstProblem);
            var shown = user ?? e;
            var rows = WitnessEvents.Rows(shown, scenario, d);
            var verdict = shown.IsViolation ? "broken: " + shown.FirstProblem : shown.IsError ? "did not complete: " + shown.FirstProblem : "no violation under this schedule";
            var agreement = user is null ? null : disagree
                ? $"DISAGREE: {userOps!.Name} from the assembly gives '{Outcome(user)}', {which} gives '{Outcome(e)}'"
                : $"{userOps!.Name} from the assembly and {which} agree";
            if (json)
            {
                var lanes = new List<object>();
                foreach (var r in rows) lanes.Add(new { lane = r.Lane, text = r.Text, violation = r.IsViolation });
                output.WriteLine(JsonSerializer.Serialize(new
                {
                    id = replay.ToString(),
                    scenario = scenario.Name,
                    descriptor = replay.Descriptor,
                    code = user is null ? which : userOps!.Name + " (assembly)",
                    schedule = shown.Schedule.ToString(),
                    decisions = shown.Decisions,
                    steps = shown.Steps,
                    outcome = shown.Run.Outcome.ToString(),
                    violation = shown.IsViolation,
                    problem = shown.IsViolation || shown.IsError ? shown.FirstProblem : null,
                    agreement,
                    disagree,
                    rows = lanes,
                }, Json.Options));
            }
            else
            {
                output.WriteLine(scenario.Title);
                output.WriteLine($"{d.Summary()}, run on {(user is null ? which : userOps!.Name + " from the assembly")}");
                output.WriteLine($"schedule [{shown.Schedule}]: {shown.Decisions} decisions, {shown.Steps} steps, {shown.Run.Outcome}");
                output.WriteLine();
                output.Write(LaneDiagram.Render(rows, scenario.Roles));
                output.WriteLine();
                output.WriteLine(verdict);
                if (agreement != null) output.WriteLine(agreement);
            }
            if (disagree) return CheckCommand.Found;
            return shown.IsViolation || shown.IsError ? CheckCommand.Found : 0;
        }

        private static string Outcome(Execution e) => e.IsViolation ? "broken: " + e.FirstProblem : e.IsError ? "did not complete: " + e.FirstProblem : "no violation";

        private static IEnumerable<string> Names()
        {
            foreach (var s in RaceScenarios.All) yield return s.Name;
            foreach (var s in RaceScenarios.Costly) yield return s.Name;
            foreach (var s in RaceScenarios.KnownBroken) yield return s.Name;
        }
    }
}
