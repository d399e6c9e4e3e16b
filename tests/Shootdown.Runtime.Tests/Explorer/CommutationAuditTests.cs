using System.Collections.Generic;
using System.Linq;
using Shootdown.Archs.Catalog;
using Shootdown.Explorer;
using Shootdown.Simulation;
using Xunit.Abstractions;

namespace Shootdown.Runtime.Tests.Explorer
{
    /// <summary>
    /// The commutation audit (docs/explorer.md, "How it is checked"): steps DPOR treats as independent must leave the same
    /// machine state in either order, on every scenario of a sample of catalog architectures. This is the check of the
    /// read records that the write audit (<see cref="AccessAuditTests"/>) cannot be: a read left unrecorded makes two
    /// steps look independent whose order matters, and the swap shows it.
    /// </summary>
    public sealed class CommutationAuditTests
    {
        private readonly ITestOutputHelper _output;

        public CommutationAuditTests(ITestOutputHelper output) => _output = output;

        // Different invalidation and walker kinds: IPIs with a hardware walker and fast GUP, broadcast with a walk cache,
        // broadcast with fragments of a page per table, a hashed MMU, a software-refilled TLB.
        public static IEnumerable<object[]> Architectures() =>
            new[] { "x86-64", "arm64", "s390x", "powerpc64-hash", "mips32-xpa" }.Select(n => new object[] { n });

        [Theory]
        [MemberData(nameof(Architectures))]
        public void Independent_steps_leave_the_same_state_in_either_order(string arch)
        {
            var ops = ArchitectureCatalog.Find(arch)!;
            var independent = 0;
            var orderSeen = 0;
            var conflicting = 0;
            var problems = new List<string>();
            foreach (var scenario in RaceScenarios.All.Where(s => s.AppliesTo(ops.Descriptor) && s.Era == null))
            {
                foreach (var seed in new[] { 1, 2, 3, 4 })
                {
                    // Every pair these short runs have: a few hundred per architecture, seconds in all.
                    foreach (var pair in CommutationAudit.Audit(scenario, ops.Descriptor, ops, seed, perKind: int.MaxValue))
                    {
                        var where = $"{arch} {scenario.Name} seed {seed}, steps {pair.Step} (cpu{pair.First}) and {pair.Step + 1} (cpu{pair.Second})";
                        if (pair.Conflict)
                        {
                            conflicting++;
                            if (pair.Swappable && !pair.Commutes) orderSeen++;
                            continue;
                        }
                        independent++;
                        if (!pair.Swappable) problems.Add($"{where}: recorded independent, but cpu{pair.First} could not move after cpu{pair.Second}'s step");
                        else if (!pair.Commutes) problems.Add($"{where}: recorded independent, but the states differ: {pair.InOrder!.FirstDifference(pair.Swapped!)}");
                    }
                }
            }
            _output.WriteLine($"{arch}: {independent} independent pairs audited; {conflicting} conflicting pairs, {orderSeen} of them ended differently when swapped");
            Assert.True(problems.Count == 0, string.Join("\n", problems.Take(10)));
            Assert.True(independent >= 20, $"{arch}: only {independent} independent pairs audited");
            // The state compared is fine enough to see an order: some conflicting pairs end differently when swapped.
            Assert.True(orderSeen > 0, $"{arch}: no conflicting pair changed the state when swapped; the audit compares too little");
        }
    }
}
