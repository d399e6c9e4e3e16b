using System;
using System.Collections.Generic;
using Shootdown.Simulation;

namespace Shootdown.Explorer
{
    /// <summary>
    /// A scenario that plays <see cref="Inner"/> and counts the executions that reached its declared window, so an
    /// exploration by <see cref="RaceExplorer"/> shows the race it claims to check was entered, not assumed.
    /// </summary>
    public sealed class RaceWindowProbe : RaceScenario
    {
        /// <summary>Counts <paramref name="inner"/>'s executions; it must declare a window.</summary>
        public RaceWindowProbe(RaceScenario inner)
        {
            Inner = inner ?? throw new ArgumentNullException(nameof(inner));
            if (inner.Window is null) throw new ArgumentException($"{inner.Name} declares no race window", nameof(inner));
        }

        /// <summary>The scenario probed.</summary>
        public RaceScenario Inner { get; }

        /// <summary>Executions prepared.</summary>
        public int Executions { get; private set; }

        /// <summary>Executions that reached the window (counted at the end-of-run check).</summary>
        public int Reached { get; private set; }

        /// <inheritdoc/>
        public override string Name => Inner.Name;

        /// <inheritdoc/>
        public override string Title => Inner.Title;

        /// <inheritdoc/>
        public override string? Window => Inner.Window;

        /// <inheritdoc/>
        public override bool WindowAppliesTo(ArchDescriptor d) => Inner.WindowAppliesTo(d);

        /// <inheritdoc/>
        public override IReadOnlyList<string> Roles => Inner.Roles;

        /// <inheritdoc/>
        public override bool AppliesTo(ArchDescriptor d) => Inner.AppliesTo(d);

        /// <inheritdoc/>
        public override ArchDescriptor Project(ArchDescriptor d) => Inner.Project(d);

        /// <inheritdoc/>
        public override RacePreparation Prepare(ArchDescriptor d, ArchitectureOps subject)
        {
            var prep = Inner.Prepare(d, subject);
            Executions++;
            var reached = prep.WindowReached ?? throw new InvalidOperationException($"{Inner.Name} prepared no window watch");
            IEnumerable<string> Check()
            {
                if (reached()) Reached++;
                return prep.Check?.Invoke() ?? Array.Empty<string>();
            }
            return new RacePreparation(prep.Machine, prep.Scenario, prep.LiveMms, prep.Owned, Check, prep.WindowReached);
        }
    }
}
