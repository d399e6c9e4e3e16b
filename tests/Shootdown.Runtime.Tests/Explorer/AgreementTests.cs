using System.Collections.Generic;
using System.Linq;
using Shootdown.Explorer;
using Shootdown.Simulation;

namespace Shootdown.Runtime.Tests.Explorer
{
    /// <summary>The explorer and DescriptorRules.IsUnsafe agree on a slice of the descriptor space; projections are sound.</summary>
    public sealed class AgreementTests
    {
        [Fact]
        public void The_descriptor_space_holds_every_valid_combination_and_no_structural_error()
        {
            var all = DescriptorSpace.Combinations().ToList();
            var valid = DescriptorSpace.Valid();
            Assert.Equal(4 * 2 * 3 * 3 * 2 * 16 * 2 * 2, all.Count);
            // The space is the knob table's: every value a knob lists as explored occurs, and no other knob moves.
            foreach (var knob in DescriptorKnobs.All)
            {
                var seen = all.Select(knob.Get).Distinct().OrderBy(v => v).ToList();
                if (knob.Explored is not null) Assert.Equal(knob.Explored.OrderBy(v => v), seen);
                else if (knob.Slot != DescriptorSlot.Levels) Assert.Equal(new[] { knob.Default }, seen);
            }
            Assert.Equal(4752, valid.Count);
            Assert.All(valid, d => Assert.DoesNotContain(DescriptorRules.Check(d), f => !f.Rule.IsRace && f.Rule.Severity == FindingSeverity.Error));
            Assert.Equal(valid.Count, valid.Select(d => d.Name).Distinct().Count());
            Assert.Contains(valid, DescriptorRules.IsUnsafe);
            Assert.Contains(valid, d => !DescriptorRules.IsUnsafe(d));
        }

        [Fact]
        public void A_sampled_slice_of_the_descriptor_space_agrees_with_the_rules()
        {
            var valid = DescriptorSpace.Valid();
            var slice = new List<ArchDescriptor>();
            for (var i = 0; i < valid.Count; i += 53) slice.Add(valid[i]);
            var report = Agreement.Run(slice);
            var disagreements = string.Join("\n", report.Verdicts.Where(v => !v.Agrees)
                .Select(v => $"{v.Descriptor.Name} rules [{string.Join(",", v.RaceRules)}] found {v.WitnessId} {v.Problem} {v.Error}"));
            Assert.True(report.Agrees, report.Table() + disagreements);
            Assert.True(report.TruePositives > 0 && report.TrueNegatives > 0, report.Table());
            Assert.Contains("TP", report.Table());
        }

        public static IEnumerable<object[]> Scenarios() => RaceScenarios.All.Select(s => new object[] { s.Name });

        [Theory]
        [MemberData(nameof(Scenarios))]
        public void Descriptors_that_project_alike_run_the_same_executions(string name)
        {
            var scenario = RaceScenarios.Find(name)!;
            var valid = DescriptorSpace.Valid().Where(scenario.AppliesTo).ToList();
            var compared = 0;
            for (var i = 0; i < valid.Count && compared < 4; i += 97)
            {
                var d = valid[i];
                var p = scenario.Project(d);
                if (p == d with { Name = p.Name }) continue;
                compared++;
                for (var seed = 0; seed < 3; seed++)
                {
                    var options = new RunOptions(null, seed, 20_000);
                    var a = Execution.Of(scenario, d, ArchitectureOps.Reference, options, trace: true);
                    var b = Execution.Of(scenario, p, ArchitectureOps.Reference, options, trace: true);
                    Assert.Equal(a.Schedule, b.Schedule);
                    Assert.Equal(a.Trace, b.Trace);
                    Assert.Equal(a.Violations.Select(v => v.Kind), b.Violations.Select(v => v.Kind));
                }
            }
            Assert.True(compared > 0 || valid.All(d => scenario.Project(d) == d), $"{name}: no descriptor with a different projection was compared");
        }
    }
}
