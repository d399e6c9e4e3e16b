using System.Linq;
using Shootdown.Explorer;
using Shootdown.Simulation;

namespace Shootdown.Runtime.Tests.Explorer
{
    /// <summary>Descriptor ids and replay ids: round trips and clear refusals.</summary>
    public sealed class IdTests
    {
        [Fact]
        public void Every_descriptor_of_the_space_round_trips_through_its_id()
        {
            foreach (var d in DescriptorSpace.Combinations())
            {
                Assert.True(DescriptorId.TryDecode(DescriptorId.Encode(d), out var back, out var error), error);
                Assert.Equal(d with { Name = "" }, back with { Name = "" });
            }
        }

        [Fact]
        public void Every_catalog_descriptor_round_trips_with_its_rarely_set_fields()
        {
            foreach (var name in Shootdown.Archs.Catalog.ArchitectureCatalog.Names)
            {
                var d = Shootdown.Archs.Catalog.ArchitectureCatalog.Find(name)!.Descriptor;
                var id = DescriptorId.Encode(d);
                Assert.True(DescriptorId.TryDecode(id, out var back, out var error), error);
                Assert.Equal(d with { Name = "" }, back with { Name = "" });
            }
            Assert.EndsWith(".pte256.pmd2048.pud2048.p4d2048.pgd2048.fullmm-lazy", DescriptorId.Encode(Shootdown.Archs.Catalog.ArchitectureCatalog.Find("s390x")!.Descriptor));
            Assert.EndsWith(".gup-load.fullmm-tables", DescriptorId.Encode(Shootdown.Archs.Catalog.ArchitectureCatalog.Find("arm64")!.Descriptor));
            Assert.EndsWith(".gup-load.invlpgb", DescriptorId.Encode(Shootdown.Archs.Catalog.ArchitectureCatalog.Find("x86-64-invlpgb")!.Descriptor));
            Assert.EndsWith(".gup-load.atomic64", DescriptorId.Encode(Shootdown.Archs.Catalog.ArchitectureCatalog.Find("arm-lpae")!.Descriptor));
            Assert.EndsWith(".64k.f256.pte64w64.special.walkcache.norefill.opt-rcu+merge+pagesize.gup-load.pud512.archtrt.fpmd16",
                DescriptorId.Encode(Shootdown.Archs.Catalog.ArchitectureCatalog.Find("powerpc64-radix-64k")!.Descriptor));
        }

        [Theory]
        [InlineData("ipi.L4.4k.f1.pte64w64.special.walkcache.norefill.opt-tf", "10 dot-separated")]
        [InlineData("ipi.L4.4k.f1.pte64w64.special.walkcache.norefill.opt-tf.gup-load.huge2", "'huge2' is none of")]
        [InlineData("ipi.L4.4k.f1.pte64w64.special.walkcache.norefill.opt-tf.gup-load.pmdx", "'pmdx' is not pmd<n>")]
        [InlineData("ipi.L4.4k.f1.pte64w64.special.walkcache.norefill.opt-tf.gup-load.pmd1024.pmd2048", "'pmd' is given twice")]
        [InlineData("ipi.L4.4k.f1.pte64w64.special.walkcache.norefill.opt-tf.gup-load.pmd3", "SHD114: PTRS_PER_PMD must be a power of two")]
        [InlineData("ipi.L3.4k.f3.pte64w64.special.walkcache.norefill.opt-tf.gup-load", "SHD105")]
        [InlineData("ipi.L4.64k.f1.pte64w64.special.walkcache.norefill.opt-tf.gup-load.fpmd3", "SHD105: PmdFragmentsPerPage")]
        [InlineData("ipi.L4.4k.f512.pte64w64.special.walkcache.norefill.opt-tf.gup-load", "SHD105: FragmentsPerPage")]
        [InlineData("smp.L4.4k.f1.pte64w64.special.walkcache.norefill.opt-tf.gup-load", "invalidation 'smp'")]
        [InlineData("ipi.L4.4k.f1.pte64w64.special.walkcache.norefill.opt-tf+bogus.gup-load", "option 'bogus'")]
        [InlineData("ipi.L4.4k.f1.pte64x64.special.walkcache.norefill.opt-tf.gup-load", "widths")]
        [InlineData("ipi.L4.4k.f1.pte64w64.special.walkcache.norefill.opt-tf.gup-maybe", "fast GUP")]
        public void A_bad_descriptor_id_is_refused_with_the_reason(string text, string reason)
        {
            Assert.False(DescriptorId.TryDecode(text, out _, out var error));
            Assert.Contains(reason, error);
        }

        [Fact]
        public void A_replay_id_parses_into_version_scenario_code_descriptor_and_schedule()
        {
            const string text = "v2:munmap-vs-gup-fast:generated:bcast.L4.4k.f1.pte64w64.special.walkcache.norefill.opt-rcu.gup-load:1.0.0";
            Assert.True(ReplayId.TryParse(text, out var id, out var error), error);
            Assert.Equal("munmap-vs-gup-fast", id.Scenario);
            Assert.True(id.Generated);
            Assert.Equal("bcast.L4.4k.f1.pte64w64.special.walkcache.norefill.opt-rcu.gup-load", id.Descriptor);
            Assert.Equal(Schedule.Parse("1.0.0"), id.Schedule);
            Assert.Equal(text, id.ToString());
            Assert.False(ReplayId.TryParse("munmap-vs-gup-fast:arm64:1.0.0", out _, out error));
            Assert.Contains("old-format", error);
            Assert.False(ReplayId.TryParse("v2:munmap-vs-gup-fast:arm64", out _, out error));
            Assert.Contains("v2:<scenario>:<generated|reference>:<descriptor-id>:<schedule>", error);
            Assert.False(ReplayId.TryParse("v2:a:compiled:bcast.L4.4k.f1.pte64w64.special.walkcache.norefill.opt-rcu.gup-load:1", out _, out error));
            Assert.Contains("neither generated nor reference", error);
            Assert.False(ReplayId.TryParse("v2:a:reference:bcast.L4:1", out _, out error));
            Assert.Contains("not a descriptor id", error);
            Assert.False(ReplayId.TryParse("v2:a:reference:bcast.L4.4k.f1.pte64w64.special.walkcache.norefill.opt-rcu.gup-load:1.x", out _, out error));
            Assert.Contains("decision 1", error);
        }

        [Fact]
        public void Every_scenario_name_is_unique_and_a_scenario_refuses_a_descriptor_it_does_not_apply_to()
        {
            Assert.Equal(RaceScenarios.All.Count, RaceScenarios.All.Select(s => s.Name).Distinct().Count());
            var d = DescriptorSpace.Valid()[0];
            Assert.Throws<System.ArgumentException>(() => RaceExplorer.Explore(RaceScenarios.Find("munmap-vs-gup-fast")!, d with { FastGup = false }, ArchitectureOps.Reference));
        }
    }
}
