using System;
using System.Linq;
using Shootdown.Archs.Catalog;
using Shootdown.Explorer;
using Shootdown.Explorer.Mutation;
using Shootdown.Simulation;
using Xunit;

namespace Shootdown.Runtime.Tests.Explorer
{
    /// <summary>
    /// page-reuse-vs-gup-fast rests on the allocator handing the zapped frame to the next fault, and catches a fast GUP
    /// without its PTE re-check through the machine's GUP check, not through a check of its own.
    /// </summary>
    public sealed class PageReuseScenarioTests
    {
        [Theory]
        [InlineData("arm64")]
        [InlineData("s390x")]
        [InlineData("powerpc64-radix")]
        public void The_fault_after_madvise_maps_the_frame_just_zapped(string arch)
        {
            var ops = ArchitectureCatalog.Find(arch)!;
            var prep = RaceScenarios.Find("page-reuse-vs-gup-fast")!.Prepare(ops.Descriptor, ops);
            var m = prep.Machine;
            var mm = prep.LiveMms().Single();
            var before = PageTables.TranslateQuietly(m, mm, ScenarioSetup.Target(m));
            Assert.NotEqual(0, before);
            ops.DontNeed(m.Cpu(0), mm, ScenarioSetup.Target(m), (ulong)m.Geometry.PageSize);
            Assert.True(AddressSpace.Fault(m.Cpu(0), mm, ScenarioSetup.Target(m) + (ulong)m.Geometry.PageSize));
            Assert.Equal(before, PageTables.TranslateQuietly(m, mm, ScenarioSetup.Target(m) + (ulong)m.Geometry.PageSize));
        }
    }
}
