using System.Linq;
using Shootdown.Explorer;
using Shootdown.Simulation;

namespace Shootdown.Runtime.Tests.Explorer
{
    /// <summary>
    /// Findings of the explorer that belong to code outside the explorer and are reported, not hidden: each is matched
    /// narrowly, so any other violation still fails, and the match stops applying once the cause is fixed.
    /// </summary>
    internal static class KnownIssues
    {
        /// <summary>
        /// The generated fast GUP of the 64-bit-PTE-on-32-bit-word architectures re-checks the PMD and PTE after taking
        /// the reference with <c>PageTables.Read</c>, a plain 64-bit load that is two word loads there (as Linux's
        /// <c>ptep_get</c> is). A torn re-check value is only compared, so it makes the walker back off; but
        /// <c>PageTables.Read</c> records every torn present load as <see cref="ViolationKind.TornPte"/>. The reference
        /// re-checks with the low/high/low read and is clean. Replay: <c>check --replay
        /// wide-pte-update-vs-gup-fast:x86-pae:1.1.1.1.1.1.1.1.1.1.1.0</c>.
        /// </summary>
        public static bool IsTornRecheck(string arch, ExplorationReport report) =>
            (arch == "x86-pae" || arch == "arm-lpae")
            && report.Subject.IsGenerated
            && report.Errors == 0
            && report.Witness is { } w
            && w.Violations.All(v => v.Kind == ViolationKind.TornPte && v.Detail.Contains("in two halves"))
            && report.Scenario.AppliesTo(report.Descriptor with { FastGup = true }) && report.Descriptor.FastGup;
    }
}
