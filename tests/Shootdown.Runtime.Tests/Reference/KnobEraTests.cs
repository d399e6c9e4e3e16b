using System.Linq;
using Shootdown.Archs.Catalog;
using static Shootdown.Runtime.Tests.Reference.TestMachines;

namespace Shootdown.Runtime.Tests.Reference
{
    /// <summary>SHD117 by era over the whole knob table: only what KnobEras lists is missing, and only in its era.</summary>
    public sealed class KnobEraTests
    {
        // Every knob away from its default, on a descriptor whose values otherwise all mean something.
        private static ArchDescriptor EveryKnobWritten(LinuxEra era)
        {
            var d = Arm64Like() with { Linux = era };
            foreach (var knob in DescriptorKnobs.All.Where(k => k.Slot != DescriptorSlot.Linux))
            {
                if (knob.Kind == KnobKind.Bool) d = knob.With(d, 1 - knob.Default);
                else if (!knob.Positional && knob.Values != null) d = knob.With(d, knob.Values.Last(v => v != knob.Default));
            }
            return d;
        }

        [Theory]
        [InlineData(LinuxEra.Stable)]
        [InlineData(LinuxEra.Next)]
        public void No_knob_is_missing_in_stable_or_linux_next(LinuxEra era)
        {
            var d = EveryKnobWritten(era);
            Assert.True(d.ArchTlbRemoveTable && d.PmdFreeFlushesAll && d.PmdFragmentsPerPage > 1, d.ToString());
            Assert.DoesNotContain(DescriptorRules.Check(d), f => f.Id == DescriptorRules.KnobNotInEra);
        }

        [Fact]
        public void V6_1_reports_exactly_the_knobs_it_lacks_naming_the_era()
        {
            var findings = DescriptorRules.Check(EveryKnobWritten(LinuxEra.V6_1)).Where(f => f.Id == DescriptorRules.KnobNotInEra).ToList();
            var finding = Assert.Single(findings);
            Assert.Equal(DescriptorSlot.ArchTlbRemoveTable, finding.Slot);
            Assert.Contains("Linux v6.1 (LinuxEra.V6_1)", finding.Message);
            Assert.Contains("HAVE_ARCH_TLB_REMOVE_TABLE", finding.Message);
            Assert.Equal(FindingSeverity.Warning, finding.Rule.Severity); // the code is still generated
        }

        [Fact]
        public void The_powerpc_catalog_classes_are_accepted_in_stable_and_next_and_warned_in_v6_1()
        {
            foreach (var d in new[] { Ppc64Radix.Descriptor, Ppc64Radix64k.Descriptor, Ppc64Hash.Descriptor, Sparc64.Descriptor })
            {
                foreach (var era in new[] { LinuxEra.Stable, LinuxEra.Next })
                    Assert.DoesNotContain(DescriptorRules.Check(d with { Linux = era }), f => f.Id == DescriptorRules.KnobNotInEra);
                Assert.Contains(DescriptorRules.Check(d with { Linux = LinuxEra.V6_1 }), f => f.Id == DescriptorRules.KnobNotInEra);
                Assert.True(DescriptorRules.IsStructurallyValid(d with { Linux = LinuxEra.V6_1 }), d.Name);
            }
        }
    }
}
