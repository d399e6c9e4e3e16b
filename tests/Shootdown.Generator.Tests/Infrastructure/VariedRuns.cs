using System;
using System.Collections.Concurrent;

namespace Shootdown.Generator.Tests.Infrastructure
{
    /// <summary>One generator run per <see cref="DescriptorSet"/>, made once and shared by the tests that only read it.</summary>
    internal static class VariedRuns
    {
        private static readonly ConcurrentDictionary<string, Lazy<GeneratorRun>> Runs = new();

        public static GeneratorRun Of(string setName) =>
            Runs.GetOrAdd(setName, name => new Lazy<GeneratorRun>(() => GeneratorHarness.Run(VariedDescriptors.Named(name).Sources()))).Value;

        /// <summary>The names of every set, as theory data.</summary>
        public static TheoryData<string> SetNames()
        {
            var data = new TheoryData<string>();
            foreach (var set in VariedDescriptors.All) data.Add(set.Name);
            return data;
        }
    }
}
