using System;
using Shootdown.Simulation;

namespace Shootdown.Explorer
{
    /// <summary>One scenario's exploration on one subject: the report, its verdict, and the witness if one was found.</summary>
    public sealed class ScenarioVerdict
    {
        private readonly Lazy<string?> _lanes;

        internal ScenarioVerdict(ExplorationReport report)
        {
            Report = report;
            Verdict = report.Verdict;
            _lanes = new Lazy<string?>(() => report.WitnessSchedule is null ? null : RenderLanes(report));
        }

        /// <summary>The explorer's report (executions, bounds, elapsed time).</summary>
        public ExplorationReport Report { get; }

        /// <summary>The scenario's name.</summary>
        public string Scenario => Report.Scenario.Name;

        /// <summary>Proved, inconclusive or violation, with its sentence.</summary>
        public Verdict Verdict { get; }

        /// <summary>The replay id of the witness (<c>shootdown check --replay ID</c>), or null.</summary>
        public string? WitnessId => Report.WitnessId;

        /// <summary>The witness replayed as per-CPU lanes, rows in schedule order, or null without a witness.</summary>
        public string? LaneDiagram => _lanes.Value;

        private static string RenderLanes(ExplorationReport r)
        {
            var e = RaceExplorer.Replay(r.Scenario, r.Descriptor, r.Subject, r.WitnessSchedule!, r.Bounds.MaxSteps);
            return Explorer.LaneDiagram.Render(WitnessEvents.Rows(e, r.Scenario, r.Descriptor), r.Scenario.Roles);
        }

        /// <inheritdoc/>
        public override string ToString() => Verdict.Sentence + (WitnessId is null ? "" : $"; replay: {WitnessId}");
    }
}
