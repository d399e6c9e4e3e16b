using System;
using System.Collections.Generic;
using System.Reflection;
using Shootdown.Simulation;

namespace Shootdown.Explorer
{
    /// <summary>
    /// The race explorer as a test API: every scenario that applies to an architecture, each with a three-way verdict.
    /// <code>
    /// var result = RaceCheck.Run(typeof(MyArch), new RaceCheckOptions { Bounds = SearchBounds.Default with { Preemptions = 1 } });
    /// result.ThrowIfNotProved();   // or Assert.True(result.Proved, result.Summary)
    /// </code>
    /// See docs/check-your-architecture.md for what "proved" claims.
    /// </summary>
    public static class RaceCheck
    {
        /// <summary>
        /// Checks the generated code of <paramref name="architecture"/>, a class the generator filled (its static <c>Ops</c>);
        /// a type rather than a type argument because architecture classes are usually static.
        /// </summary>
        public static RaceCheckResult Run(Type architecture, RaceCheckOptions? options = null) => Run(OpsOf(architecture), options);

        /// <summary>Checks the generated code <paramref name="ops"/> on its own descriptor.</summary>
        public static RaceCheckResult Run(ArchitectureOps ops, RaceCheckOptions? options = null)
        {
            ArgumentNullException.ThrowIfNull(ops);
            return Run(ops.Descriptor, ops, options);
        }

        /// <summary>Checks <paramref name="subject"/> on a machine built for <paramref name="descriptor"/>.</summary>
        public static RaceCheckResult Run(ArchDescriptor descriptor, ArchitectureOps subject, RaceCheckOptions? options = null)
        {
            ArgumentNullException.ThrowIfNull(descriptor);
            ArgumentNullException.ThrowIfNull(subject);
            return Run(new[] { (descriptor, subject) }, options)[0];
        }

        /// <summary>
        /// Checks each subject on a machine built for its descriptor, the explorations of all of them sharded over
        /// <see cref="RaceCheckOptions.Parallelism"/> threads; one result per subject, in order, the same as checking each alone.
        /// </summary>
        public static IReadOnlyList<RaceCheckResult> Run(IReadOnlyList<(ArchDescriptor Descriptor, ArchitectureOps Subject)> subjects, RaceCheckOptions? options = null)
        {
            ArgumentNullException.ThrowIfNull(subjects);
            options ??= RaceCheckOptions.Default;
            options.Bounds.Validate();
            var wanted = options.Scenarios is null ? null : new HashSet<string>(options.Scenarios, StringComparer.Ordinal);
            if (wanted != null)
            {
                foreach (var name in wanted)
                {
                    if (RaceScenarios.Find(name) is null) throw new ArgumentException($"no scenario '{name}'", nameof(options));
                }
            }
            var jobs = new List<(int Owner, RaceScenario Scenario)>();
            for (var s = 0; s < subjects.Count; s++)
            {
                ArgumentNullException.ThrowIfNull(subjects[s].Descriptor);
                ArgumentNullException.ThrowIfNull(subjects[s].Subject);
                foreach (var scenario in RaceScenarios.All)
                {
                    if (Explores(scenario, subjects[s].Descriptor, subjects[s].Subject) && (wanted == null || wanted.Contains(scenario.Name))) jobs.Add((s, scenario));
                }
            }
            var done = InOrder.Run(jobs.Count, options.Parallelism, i =>
            {
                var (owner, scenario) = jobs[i];
                options.OnExploring?.Invoke(scenario, subjects[owner].Subject);
                return new ScenarioVerdict(RaceExplorer.Explore(scenario, subjects[owner].Descriptor, subjects[owner].Subject, options.Bounds, options.Cancellation));
            }, (i, verdict) => options.OnExplored?.Invoke(new ExplorationDone(i, jobs.Count, subjects[jobs[i].Owner].Descriptor, subjects[jobs[i].Owner].Subject, verdict)),
                options.Cancellation);
            var results = new List<RaceCheckResult>(subjects.Count);
            for (var s = 0; s < subjects.Count; s++)
            {
                var verdicts = new List<ScenarioVerdict>();
                var all = 0;
                var cut = false;
                for (var i = 0; i < jobs.Count; i++)
                {
                    if (jobs[i].Owner != s) continue;
                    all++;
                    if (i >= done.Count) continue;
                    verdicts.Add(done[i]);
                    cut |= done[i].Report.Interrupted; // stopped between two executions by the cancellation
                }
                results.Add(new RaceCheckResult(subjects[s].Descriptor, subjects[s].Subject, options.Bounds, verdicts, cut || verdicts.Count < all));
            }
            return results;
        }

        /// <summary>
        /// True when a check of <paramref name="subject"/> on <paramref name="descriptor"/> explores <paramref name="scenario"/>:
        /// it applies, and a scenario of another Linux era (<see cref="RaceScenario.Era"/>) is explored once, with the
        /// reference, not again for generated code that does not have that era's path.
        /// </summary>
        public static bool Explores(RaceScenario scenario, ArchDescriptor descriptor, ArchitectureOps subject)
        {
            ArgumentNullException.ThrowIfNull(scenario);
            ArgumentNullException.ThrowIfNull(subject);
            return scenario.AppliesTo(descriptor) && (scenario.Era is null || !subject.IsGenerated);
        }

        /// <summary>The generated <c>Ops</c> of <paramref name="type"/>; throws when the generator did not fill it.</summary>
        public static ArchitectureOps OpsOf(Type type)
        {
            ArgumentNullException.ThrowIfNull(type);
            return TryOpsOf(type) ?? throw new ArgumentException(
                $"{type.FullName} has no static Ops of type ArchitectureOps: is it a partial class with [Architecture] that the Shootdown generator filled?", nameof(type));
        }

        /// <summary>Every class in <paramref name="assembly"/> the generator filled: each has a static <c>Ops</c> of type <see cref="ArchitectureOps"/>.</summary>
        public static IReadOnlyList<ArchitectureOps> Discover(Assembly assembly)
        {
            ArgumentNullException.ThrowIfNull(assembly);
            var found = new List<ArchitectureOps>();
            Type?[] types;
            try
            {
                types = assembly.GetTypes();
            }
            catch (ReflectionTypeLoadException e)
            {
                types = e.Types;
            }
            foreach (var type in types)
            {
                if (type != null && TryOpsOf(type) is { } ops) found.Add(ops);
            }
            found.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
            return found;
        }

        private static ArchitectureOps? TryOpsOf(Type type)
        {
            var property = type.GetProperty("Ops", BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly);
            if (property is null || property.PropertyType != typeof(ArchitectureOps) || property.GetIndexParameters().Length != 0) return null;
            return property.GetValue(null) as ArchitectureOps;
        }
    }
}
