using System;
using System.Collections.Generic;
using System.Text;

namespace Shootdown.Runtime.Tests.Differential
{
    /// <summary>The first place two traces part, described so the run can be reproduced from the message alone.</summary>
    internal static class TraceDifference
    {
        private const int Context = 4;

        /// <summary>Null when the traces are equal; otherwise the descriptor, the seed, the first differing event and its neighbours.</summary>
        public static string? Describe(ArchDescriptor d, int seed, IReadOnlyList<string> expected, IReadOnlyList<string> actual)
        {
            var n = Math.Min(expected.Count, actual.Count);
            var at = 0;
            while (at < n && expected[at] == actual[at]) at++;
            if (at == n && expected.Count == actual.Count) return null;
            var b = new StringBuilder()
                .Append("descriptor ").Append(d).Append('\n')
                .Append("  ").Append(d.Summary()).Append('\n')
                .Append("seed ").Append(seed).Append('\n')
                .Append("first difference at event ").Append(at).Append(" of ").Append(expected.Count).Append(" (reference) / ").Append(actual.Count).Append(" (generated)\n")
                .Append("  expected: ").Append(at < expected.Count ? expected[at] : "<end of trace>").Append('\n')
                .Append("  actual:   ").Append(at < actual.Count ? actual[at] : "<end of trace>").Append('\n');
            b.Append("context (reference | generated):\n");
            for (var i = Math.Max(0, at - Context); i < Math.Max(expected.Count, actual.Count) && i <= at + Context; i++)
            {
                b.Append(i == at ? "> " : "  ").Append(i).Append(": ")
                    .Append(i < expected.Count ? expected[i] : "-").Append(" | ")
                    .Append(i < actual.Count ? actual[i] : "-").Append('\n');
            }
            return b.ToString();
        }
    }
}
