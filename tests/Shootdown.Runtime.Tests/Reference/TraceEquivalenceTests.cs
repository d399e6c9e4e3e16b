using System;
using Shootdown.Archs.Catalog;
using Shootdown.Kernel;
using Shootdown.Reference;
using Shootdown.Simulation;
using static Shootdown.Runtime.Tests.Reference.TestMachines;

namespace Shootdown.Runtime.Tests.Reference
{
    /// <summary>The reference is the specification: a generated gather must leave the same trace for its descriptor.</summary>
    public sealed class TraceEquivalenceTests
    {
        private static string[] Run<TGather>(ArchDescriptor d, bool failTableBatch) where TGather : struct, IMmuGather<TGather>
        {
            var (m, mm, c0, _) = Boot(d, frames: 8192);
            var pmd = m.Geometry.EntrySize(1);
            MapAndFault(m, mm, Base, 4UL << 20);
            MapAndFault(m, mm, Base + (4UL << 20), 2UL << 20, VmaFlags.Write | VmaFlags.Exec);
            MapAndFault(m, mm, Base + (16UL << 20), 2 * pmd, VmaFlags.Write | VmaFlags.Huge);
            MapAndFault(m, mm, Base + (32UL << 20), 64UL << 10, VmaFlags.Write | VmaFlags.PfnMap);
            MapAndFault(m, mm, Base + (40UL << 20), 1UL << 20);
            TouchAll(m, mm, Base, Base + (6UL << 20));
            m.Trace.Enabled = true;
            if (failTableBatch) m.Memory.FailNext(FrameUse.TableBatch, 1);
            Assert.Equal(0, Madvise.DontNeed<TGather>(c0, mm, Base + (16UL << 20), pmd));
            AddressSpace.Munmap<TGather>(c0, mm, Base, 6UL << 20);
            AddressSpace.Munmap<TGather>(c0, mm, Base + (32UL << 20), 64UL << 10);
            AddressSpace.ExitMmap<TGather>(c0, mm);
            m.Rcu.Quiesce();
            Assert.True(m.Violations.IsEmpty, string.Join("\n", m.Violations.All));
            return Normalized(m);
        }

        private static void Same<TGenerated>(ArchDescriptor d) where TGenerated : struct, IMmuGather<TGenerated>
        {
            foreach (var fail in new[] { false, true })
            {
                var expected = Run<ReferenceGather>(d, fail);
                var actual = Run<TGenerated>(d, fail);
                Assert.True(expected.Length > 50, "the scenario must exercise the gather");
                for (var i = 0; i < Math.Min(expected.Length, actual.Length); i++)
                    Assert.True(expected[i] == actual[i], $"{d.Name} (table batch failure: {fail}) event {i}: reference {expected[i]}, generated {actual[i]}");
                Assert.Equal(expected.Length, actual.Length);
            }
        }

        [Fact]
        public void X86_64_generated_gather_matches_the_reference() => Same<X86_64.MmuGather>(X86_64.Descriptor);

        [Fact]
        public void Arm64_generated_gather_matches_the_reference() => Same<Arm64.MmuGather>(Arm64.Descriptor);

        [Fact]
        public void NoRange_PageSize_NoFlushCache_without_TableFree_matches_the_reference() => Same<TestNoRange.MmuGather>(TestNoRange.Descriptor);

        [Fact]
        public void S390_like_NoGather_with_fragments_matches_the_reference() => Same<TestS390.MmuGather>(TestS390.Descriptor);

        [Fact]
        public void MergeVmas_TableFree_without_Rcu_matches_the_reference() => Same<TestMerge.MmuGather>(TestMerge.Descriptor);
    }
}
