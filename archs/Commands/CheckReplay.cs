using Shootdown.Simulation;
using System.IO;
using Shootdown.Archs.Catalog;
using Shootdown.Explorer;

namespace Shootdown.Archs.Commands
{
    /// <summary><c>check --replay ID</c>: runs a witness again and prints it as a lane diagram.</summary>
    public static class CheckReplay
    {
        /// <summary>Resolves a descriptor id: a catalog name means that architecture's generated code, anything else is decoded for the reference.</summary>
        public static bool TryResolve(string descriptorId, out ArchDescriptor descriptor, out ArchitectureOps subject, out string error)
        {
            var entry = ArchitectureCatalog.FindEntry(descriptorId);
            if (entry != null)
            {
                descriptor = entry.Ops.Descriptor;
                subject = entry.Ops;
                error = "";
                return true;
            }
            subject = ArchitectureOps.Reference;
            return DescriptorId.TryDecode(descriptorId, out descriptor, out error);
        }

        /// <summary>Replays <paramref name="id"/>; 1 when it breaks the invariant (as a witness should), 0 when it does not, 2 for a bad id.</summary>
        public static int Run(string id, TextWriter output, TextWriter error)
        {
            if (!ReplayId.TryParse(id, out var replay, out var why))
            {
                error.WriteLine(why);
                return Program.UsageError;
            }
            var scenario = RaceScenarios.Find(replay.Scenario);
            if (scenario is null)
            {
                error.WriteLine($"unknown scenario '{replay.Scenario}'; scenarios: {string.Join(", ", Names())}");
                return Program.UsageError;
            }
            if (!TryResolve(replay.Descriptor, out var d, out var subject, out why))
            {
                error.WriteLine($"{why} (or a catalog architecture: {string.Join(", ", ArchitectureCatalog.Names)})");
                return Program.UsageError;
            }
            var e = RaceExplorer.Replay(scenario, d, subject, replay.Schedule);
            output.WriteLine($"{scenario.Title}");
            output.WriteLine($"{d.Summary()} ({subject})");
            output.WriteLine($"schedule [{e.Schedule}]: {e.Decisions} decisions, {e.Steps} steps, {e.Run.Outcome}");
            output.WriteLine();
            output.Write(LaneDiagram.Render(WitnessEvents.Rows(e, scenario, d), scenario.Roles));
            output.WriteLine();
            output.WriteLine(e.IsViolation ? "broken: " + e.FirstProblem : e.IsError ? "did not complete: " + e.FirstProblem : "no violation under this schedule");
            return e.IsViolation || e.IsError ? CheckCommand.Found : 0;
        }

        private static System.Collections.Generic.IEnumerable<string> Names()
        {
            foreach (var s in RaceScenarios.All) yield return s.Name;
            foreach (var s in RaceScenarios.KnownBroken) yield return s.Name;
        }
    }
}
