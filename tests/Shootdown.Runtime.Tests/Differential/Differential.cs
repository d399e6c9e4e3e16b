using System.Collections.Generic;

namespace Shootdown.Runtime.Tests.Differential
{
    /// <summary>Runs the reference and a generated architecture on the same program and seed and compares their traces.</summary>
    internal static class Differential
    {
        /// <summary>Null when both traces agree, event for event, and the reference ran clean; otherwise a report naming descriptor, seed and first difference.</summary>
        public static string? Check(CompiledArchitecture arch, int seed, IList<RunTrace>? traces = null)
        {
            var expected = DifferentialRun.Execute(arch.Descriptor, KernelOps.Reference, seed);
            var actual = DifferentialRun.Execute(arch.Descriptor, arch.Generated, seed);
            traces?.Add(expected);
            var difference = TraceDifference.Describe(arch.Descriptor, seed, expected.Events, actual.Events);
            if (difference != null) return difference;
            if (expected.Problems.Count > 0)
                return $"descriptor {arch.Descriptor}\nseed {seed}\nthe reference run is not clean (same trace with generated code):\n  "
                    + string.Join("\n  ", expected.Problems);
            return null;
        }
    }
}
