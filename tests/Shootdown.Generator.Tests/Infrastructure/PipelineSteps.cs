extern alias GeneratorAssembly;

using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using GeneratorAssembly::Shootdown.Generator;

namespace Shootdown.Generator.Tests.Infrastructure
{
    /// <summary>The generator's own tracked steps, read from <see cref="ShootdownGenerator.StepNames"/>.</summary>
    internal static class PipelineSteps
    {
        /// <summary>
        /// Every public constant of StepNames, so a step added later is covered without touching the tests. Roslyn's own
        /// ForAttributeWithMetadataName steps are left out: they legitimately hold syntax nodes.
        /// </summary>
        public static IReadOnlyList<string> Names { get; } = typeof(ShootdownGenerator.StepNames)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .OrderBy(n => n, StringComparer.Ordinal)
            .ToList();

        /// <summary>The runs of step <paramref name="name"/>; fails when the step never ran.</summary>
        public static IReadOnlyList<IncrementalGeneratorRunStep> Runs(GeneratorRun run, string name)
        {
            Assert.True(run.Result.TrackedSteps.TryGetValue(name, out var steps), $"Step {name} was not tracked in this run");
            return steps;
        }

        /// <summary>Every output of step <paramref name="name"/> with its run reason.</summary>
        public static IEnumerable<(object Value, IncrementalStepRunReason Reason)> Outputs(GeneratorRun run, string name) =>
            Runs(run, name).SelectMany(step => step.Outputs);

        /// <summary>Every output of every source-output step (what decides whether files are regenerated).</summary>
        public static IEnumerable<(object Value, IncrementalStepRunReason Reason)> SourceOutputs(GeneratorRun run) =>
            run.Result.TrackedOutputSteps.SelectMany(pair => pair.Value).SelectMany(step => step.Outputs);

        /// <summary>A property of an internal pipeline value (the models are internal to the generator).</summary>
        public static object? Property(object value, string name) =>
            (value.GetType().GetProperty(name) ?? throw new InvalidOperationException($"{value.GetType()} has no property {name}")).GetValue(value);

        /// <summary>The architecture name of an <c>ArchitectureModel</c> flowing through the pipeline.</summary>
        public static string ArchitectureName(object model) =>
            (string)Property(Property(model, "Descriptor")!, nameof(ArchDescriptor.Name))!;
    }
}
