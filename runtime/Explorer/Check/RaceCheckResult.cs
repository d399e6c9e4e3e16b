using System;
using System.Collections.Generic;
using System.Text;
using Shootdown.Simulation;

namespace Shootdown.Explorer
{
    /// <summary>What <see cref="RaceCheck"/> found: one verdict per scenario and the overall one.</summary>
    public sealed class RaceCheckResult
    {
        internal RaceCheckResult(ArchDescriptor descriptor, ArchitectureOps subject, SearchBounds bounds, IReadOnlyList<ScenarioVerdict> scenarios, bool interrupted)
        {
            Descriptor = descriptor;
            Subject = subject;
            Bounds = bounds;
            Scenarios = scenarios;
            Interrupted = interrupted;
            var kinds = new List<VerdictKind>();
            foreach (var s in scenarios) kinds.Add(s.Verdict.Kind);
            // An interrupted check did not look at every scenario: it can claim nothing proved.
            Verdict = Explorer.Verdict.Worst(kinds) is var worst && worst == VerdictKind.Proved && interrupted ? VerdictKind.Inconclusive : worst;
        }

        /// <summary>The descriptor checked.</summary>
        public ArchDescriptor Descriptor { get; }

        /// <summary>The code checked.</summary>
        public ArchitectureOps Subject { get; }

        /// <summary>The bounds of every exploration.</summary>
        public SearchBounds Bounds { get; }

        /// <summary>Every scenario explored, in order.</summary>
        public IReadOnlyList<ScenarioVerdict> Scenarios { get; }

        /// <summary>True when the check was cancelled: the last exploration stopped between two executions and later scenarios did not run.</summary>
        public bool Interrupted { get; }

        /// <summary>The worst scenario verdict: any violation, else any inconclusive, else proved.</summary>
        public VerdictKind Verdict { get; }

        /// <summary>Every scenario proved.</summary>
        public bool Proved => Verdict == VerdictKind.Proved;

        /// <summary>Some scenario has a violation.</summary>
        public bool Violated => Verdict == VerdictKind.Violation;

        /// <summary>Executions in all.</summary>
        public int Executions
        {
            get
            {
                var n = 0;
                foreach (var s in Scenarios) n += s.Report.Executions;
                return n;
            }
        }

        /// <summary>One line per scenario verdict, then each witness's replay id and lane diagram: fit for an assertion message.</summary>
        public string Summary
        {
            get
            {
                var text = new StringBuilder();
                text.Append(Explorer.Verdict.Name(Verdict)).Append(": ").Append(Subject).Append(", ").Append(Scenarios.Count).Append(" scenarios, ")
                    .Append(Executions).Append(" executions, preemption bound ").Append(Bounds.Preemptions).Append(", ").Append(Bounds.MaxSteps).Append(" steps")
                    .Append(Interrupted ? " (interrupted: the last exploration was cut short, and any after it did not run)" : "").AppendLine();
                foreach (var s in Scenarios) text.Append("  ").AppendLine(s.Verdict.Sentence);
                foreach (var s in Scenarios)
                {
                    if (s.WitnessId is null) continue;
                    text.AppendLine().Append("witness ").AppendLine(s.WitnessId).AppendLine(s.LaneDiagram);
                }
                return text.ToString();
            }
        }

        /// <summary>Throws <see cref="RaceCheckException"/> with <see cref="Summary"/> when a scenario has a violation.</summary>
        public void ThrowIfViolated()
        {
            if (Violated) throw new RaceCheckException(Summary);
        }

        /// <summary>Throws <see cref="RaceCheckException"/> with <see cref="Summary"/> unless every scenario was proved.</summary>
        public void ThrowIfNotProved()
        {
            if (!Proved) throw new RaceCheckException(Summary);
        }

        /// <inheritdoc/>
        public override string ToString() => Summary;
    }

    /// <summary>A race check that did not prove its architecture; the message is the check's summary with its witnesses.</summary>
    public sealed class RaceCheckException : Exception
    {
        /// <summary>A failure described by <paramref name="message"/>.</summary>
        public RaceCheckException(string message) : base(message) { }

        /// <summary>A failure with no message.</summary>
        public RaceCheckException() { }

        /// <summary>A failure described by <paramref name="message"/> caused by <paramref name="inner"/>.</summary>
        public RaceCheckException(string message, Exception inner) : base(message, inner) { }
    }
}
