using System;
using System.Collections.Concurrent;

namespace Shootdown.Generator.Tests.Infrastructure
{
    /// <summary>One generator run per <see cref="DescriptorSet"/>, made once and shared by the tests that only read it.</summary>
    internal static class VariedRuns
    {
        private static readonly ConcurrentDictionary<string, Lazy<GeneratorRun>> Runs = new();
        private static readonly ConcurrentDictionary<string, Lazy<EmitOutcome>> Emitted = new();

        public static GeneratorRun Of(string setName) =>
            Runs.GetOrAdd(setName, name => new Lazy<GeneratorRun>(() => GeneratorHarness.Run(VariedDescriptors.Named(name).Sources()))).Value;

        /// <summary>
        /// The set's run compiled to an assembly image, once: emitting binds every method body, which is the expensive
        /// part, and reports the same diagnostics as asking the compilation for them.
        /// </summary>
        public static EmitOutcome Compiled(string setName) =>
            Emitted.GetOrAdd(setName, name => new Lazy<EmitOutcome>(() => EmitOutcome.Of(Of(name).Output))).Value;

        /// <summary>The names of every set, as theory data.</summary>
        public static TheoryData<string> SetNames()
        {
            var data = new TheoryData<string>();
            foreach (var set in VariedDescriptors.All) data.Add(set.Name);
            return data;
        }
    }
}
