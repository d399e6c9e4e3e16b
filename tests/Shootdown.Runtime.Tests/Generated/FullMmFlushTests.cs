using System.Linq;
using Shootdown.Simulation;
using static Shootdown.Runtime.Tests.Generated.CatalogArchitectures;

namespace Shootdown.Runtime.Tests.Generated
{
    /// <summary>
    /// exit_mmap's fullmm gather per catalog architecture: arm64's <c>tlb_flush</c> flushes only once a table was freed,
    /// s390's clears without IPTE and flushes lazily, everyone else flushes the whole mm at every flush that has something
    /// to flush (asm-generic). Generated and reference gathers leave the same trace.
    /// </summary>
    public sealed class FullMmFlushTests
    {
        private const ulong Base = 1UL << 30;

        // exit_mmap of 384 pages that both CPUs translated, with no batch page to be had: the on-stack bundle fills and
        // zap flushes midway on a batching arch. The trace of the exit alone.
        private static (string[] Trace, int Flushes, int RangeFlushes, Machine Machine) Exit(ArchitectureOps arch, ArchDescriptor d)
        {
            var m = new Machine(d, 2, 4096);
            var mm = m.CreateMm()!;
            m.Cpu(0).SwitchTo(mm);
            m.Cpu(1).SwitchTo(mm);
            var length = 384UL * (ulong)m.Geometry.PageSize;
            AddressSpace.Mmap(m, mm, Base, length, VmaFlags.Write);
            Assert.True(AddressSpace.Populate(m.Cpu(0), mm, Base, Base + length));
            foreach (var cpu in m.Cpus)
            {
                for (var a = Base; a < Base + length; a += (ulong)m.Geometry.PageSize) m.Mmu.Access(cpu, mm, a);
            }
            m.Trace.Enabled = true;
            m.Memory.FailNext(FrameUse.GatherBatch, 1000);
            arch.ExitMmap(m.Cpu(0), mm);
            m.Rcu.Quiesce();
            Assert.True(m.Violations.IsEmpty, string.Join("\n", m.Violations.All));
            var trace = m.Trace.Snapshot();
            // A flush as the initiator issues it: a broadcast, or the local half of an IPI flush.
            var flushes = trace.Where(e => e.Cpu == 0 && e.Kind is EventKind.BroadcastFlush or EventKind.LocalFlush).ToArray();
            var whole = flushes.Count(e => e.A == 0 && e.B == m.Geometry.TaskSize);
            return (trace.Select(e => e.ToString()).ToArray(), whole, flushes.Length - whole, m);
        }

        [Theory]
        [MemberData(nameof(All), MemberType = typeof(CatalogArchitectures))]
        public void Exit_mmap_flushes_as_the_architectures_tlb_flush_does_and_the_generated_gather_matches_the_reference(string name)
        {
            var arch = Get(name);
            var d = arch.Descriptor;
            var generated = Exit(arch, d);
            var reference = Exit(ArchitectureOps.Reference, d);
            Assert.Equal(reference.Trace, generated.Trace);
            switch (d.FullMmFlush)
            {
                case FullMmFlush.FlushMm:
                    // Every flush of a fullmm gather is of the whole mm; a batch that fills mid-zap flushes before the last.
                    Assert.Equal(0, generated.RangeFlushes);
                    Assert.True(generated.Flushes >= (d.Has(GatherOptions.NoGather) ? 1 : 2), $"{name}: {generated.Flushes} flushes");
                    break;
                case FullMmFlush.FreedTablesOnly:
                    // arm64: the mid-zap batch flush invalidates nothing (leaf entries only); the one after free_pgtables does.
                    Assert.Equal(1, generated.Flushes);
                    Assert.Equal(0, generated.RangeFlushes);
                    break;
                default:
                    // s390: no IPTE per cleared PTE, one flush of the mm for the freed tables.
                    Assert.Equal(1, generated.Flushes);
                    Assert.Equal(0, generated.RangeFlushes);
                    break;
            }
        }

        [Fact]
        public void Arm64_leaves_a_leaf_entry_of_a_dying_mm_that_the_asm_generic_flush_would_drop()
        {
            var arm64 = Get("arm64").Descriptor;
            Assert.Equal(FullMmFlush.FreedTablesOnly, arm64.FullMmFlush);
            // Zap only, no table freed: a fullmm gather over the VMAs, flushed once.
            foreach (var (mode, stays) in new[] { (FullMmFlush.FreedTablesOnly, true), (FullMmFlush.FlushMm, false) })
            {
                var d = arm64 with { FullMmFlush = mode };
                var m = new Machine(d, 2, 1024);
                var mm = m.CreateMm()!;
                m.Cpu(0).SwitchTo(mm);
                m.Cpu(1).SwitchTo(mm);
                var vma = AddressSpace.Mmap(m, mm, Base, 4UL * (ulong)m.Geometry.PageSize, VmaFlags.Write);
                Assert.True(AddressSpace.Populate(m.Cpu(0), mm, Base, vma.End));
                Assert.Equal(AccessResult.Ok, m.Mmu.Access(m.Cpu(1), mm, Base));
                var tlb = Shootdown.Reference.ReferenceGather.Begin(m.Cpu(0), mm, fullmm: true);
                AddressSpace.UnmapPageRange(ref tlb, m.Cpu(0), mm, vma, vma.Start, vma.End);
                tlb.FlushMmu();
                Assert.Equal(stays, m.Cpu(1).Tlb.TryLookup(mm.Id, Base, out _));
                tlb.Finish();
            }
        }
    }
}
