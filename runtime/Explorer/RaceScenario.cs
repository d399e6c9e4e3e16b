using System;
using System.Collections.Generic;
using Shootdown.Simulation;

namespace Shootdown.Explorer
{
    /// <summary>
    /// A race shape (runtime/README.md lists them with their Linux fixes): a machine state and what each of two or three CPUs does from there. Prepared
    /// afresh for every execution, so every schedule starts from the same state.
    /// </summary>
    public abstract class RaceScenario
    {
        private readonly string _name = "";
        private readonly string _title = "";
        private readonly IReadOnlyList<string> _roles = Array.Empty<string>();

        /// <summary>A scenario whose name, title and roles depend on how it is built: it overrides them.</summary>
        protected RaceScenario()
        {
        }

        /// <summary>A scenario called <paramref name="name"/>, described by <paramref name="title"/>, with a role per CPU.</summary>
        protected RaceScenario(string name, string title, params string[] roles)
        {
            _name = name;
            _title = title;
            _roles = roles;
        }

        /// <summary>Stable name, used in replay ids (<c>munmap-vs-gup-fast</c>).</summary>
        public virtual string Name => _name;

        /// <summary>One line in Linux terms.</summary>
        public virtual string Title => _title;

        /// <summary>What each CPU plays, by CPU id, for lane headers (<c>munmap</c>, <c>gup_fast</c>).</summary>
        public virtual IReadOnlyList<string> Roles => _roles;

        /// <summary>True when the race exists on <paramref name="d"/> (it has the walker, the fragments, ...).</summary>
        public abstract bool AppliesTo(ArchDescriptor d);

        /// <summary>
        /// <paramref name="d"/> with every field this scenario's executions cannot observe set to a canonical value (see
        /// <see cref="Projection"/>): descriptors with equal projections have the same executions.
        /// </summary>
        public virtual ArchDescriptor Project(ArchDescriptor d) => Projection.ReadIfObservable(d);

        /// <summary>
        /// The instant the scenario exists to explore, in words ("collapse cleared the PMD while gup_fast held the old
        /// PTE table"), or null when it declares none; <see cref="RacePreparation.WindowReached"/> says whether an
        /// execution reached it.
        /// </summary>
        public virtual string? Window => null;

        /// <summary>True when <see cref="Window"/> can open on <paramref name="d"/> (a scenario may apply where its window cannot).</summary>
        public virtual bool WindowAppliesTo(ArchDescriptor d) => Window != null && AppliesTo(d);

        /// <summary>
        /// The fewest preemptions the deepest race this scenario is known to hold needs: a bounded search raises its bound
        /// to this for the scenario (0: the bound given is used). Stated per scenario, so a shallow bound chosen for speed
        /// never hides a race the scenario exists to show.
        /// </summary>
        public virtual int MinimumPreemptions => 0;

        /// <summary>
        /// The Linux era the scenario explores in place of the descriptor's own (<see cref="ArchDescriptor.Linux"/>), or
        /// null. Such a scenario runs the reference only (generated code has its own era's paths), and the agreement with
        /// <see cref="DescriptorRules"/>, which judges a descriptor in its own era, leaves it out.
        /// </summary>
        public virtual LinuxEra? Era => null;

        /// <summary>
        /// The ops an exploration of this scenario runs: <paramref name="subject"/>, or the reference when the scenario
        /// explores another <see cref="Era"/> and <paramref name="subject"/> is generated code, which has only its own era's paths.
        /// </summary>
        public ArchitectureOps SubjectFor(ArchitectureOps subject)
        {
            ArgumentNullException.ThrowIfNull(subject);
            return Era != null && subject.IsGenerated ? ArchitectureOps.Reference : subject;
        }

        /// <summary>A fresh machine in the scenario's start state and the scenario's CPU actions.</summary>
        public abstract RacePreparation Prepare(ArchDescriptor d, ArchitectureOps subject);

        /// <inheritdoc/>
        public override string ToString() => Name;
    }

    /// <summary>A prepared execution: the machine, the actions, and what the end-of-run check needs.</summary>
    public sealed class RacePreparation
    {
        /// <summary>A prepared execution on <paramref name="machine"/>.</summary>
        /// <param name="machine">The machine, in the start state.</param>
        /// <param name="scenario">What each CPU does.</param>
        /// <param name="liveMms">The address spaces alive at the end (their tables and pages are owned).</param>
        /// <param name="owned">Frames owned by the scenario itself at the end (kernel tables, spare pages), or null.</param>
        /// <param name="check">Further end-of-run checks returning broken invariants in words, or null.</param>
        /// <param name="windowReached">True once the execution reached the scenario's race window, or null.</param>
        public RacePreparation(Machine machine, Scenario scenario, Func<IEnumerable<Mm>> liveMms,
            Func<IEnumerable<int>>? owned = null, Func<IEnumerable<string>>? check = null, Func<bool>? windowReached = null)
        {
            WindowReached = windowReached;
            Machine = machine ?? throw new ArgumentNullException(nameof(machine));
            Scenario = scenario ?? throw new ArgumentNullException(nameof(scenario));
            LiveMms = liveMms ?? throw new ArgumentNullException(nameof(liveMms));
            Owned = owned;
            Check = check;
        }

        /// <summary>The machine.</summary>
        public Machine Machine { get; }

        /// <summary>The actions.</summary>
        public Scenario Scenario { get; }

        /// <summary>Address spaces alive at the end.</summary>
        public Func<IEnumerable<Mm>> LiveMms { get; }

        /// <summary>Frames the scenario owns at the end.</summary>
        public Func<IEnumerable<int>>? Owned { get; }

        /// <summary>True once the execution reached the scenario's <see cref="RaceScenario.Window"/>, or null.</summary>
        public Func<bool>? WindowReached { get; }

        /// <summary>Scenario-specific end checks.</summary>
        public Func<IEnumerable<string>>? Check { get; }
    }
}
