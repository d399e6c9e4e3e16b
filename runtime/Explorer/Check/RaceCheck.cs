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
            var verdicts = new List<ScenarioVerdict>();
            var interrupted = false;
            foreach (var scenario in RaceScenarios.All)
            {
                if (!scenario.AppliesTo(descriptor) || (wanted != null && !wanted.Contains(scenario.Name))) continue;
                if (options.Cancellation.IsCancellationRequested)
                {
                    interrupted = true;
                    break;
                }
                options.OnExploring?.Invoke(scenario, subject);
                var report = RaceExplorer.Explore(scenario, descriptor, subject, options.Bounds, options.Cancellation);
                verdicts.Add(new ScenarioVerdict(report));
                if (report.Interrupted)
                {
                    interrupted = true;
                    break;
                }
            }
            return new RaceCheckResult(descriptor, subject, options.Bounds, verdicts, interrupted);
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
