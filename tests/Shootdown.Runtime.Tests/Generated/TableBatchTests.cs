using System.Linq;
using Shootdown.Simulation;
using static Shootdown.Runtime.Tests.Generated.CatalogArchitectures;

namespace Shootdown.Runtime.Tests.Generated
{
    /// <summary>The generated table batch when its page cannot be allocated: tlb_remove_table_one, as each era does it (LinuxEras.RemoveTableOne).</summary>
    public sealed class TableBatchTests
    {
        [Theory]
        [MemberData(nameof(CatalogArchitectures.All), MemberType = typeof(CatalogArchitectures))]
        public void Tables_freed_one_by_one_wait_as_the_era_of_the_descriptor_says(string name)
        {
            var arch = Get(name);
            var (m, mm) = Boot(arch);
            var baseline = m.Memory.InUse;
            // One page on each side of a PMD boundary: two PTE tables, even where two whole spans would not fit
            // (powerpc-44x-256k: 2 GiB spans in a 32-bit space).
            var page = (ulong)m.Geometry.PageSize;
            var boundary = PmdAlignedStart(m, page);
            var start = boundary - page;
            AddressSpace.Mmap(m, mm, start, 2 * page, VmaFlags.Write);
            Assert.True(AddressSpace.Fault(m.Cpu(0), mm, start));
            Assert.True(AddressSpace.Fault(m.Cpu(0), mm, boundary));
            Assert.NotEqual(PteTableOf(m, mm, start), PteTableOf(m, mm, boundary));
            m.Memory.FailNext(FrameUse.TableBatch, 100);
            m.Trace.Enabled = true;

            arch.Munmap(m.Cpu(0), mm, start, 2 * page);

            var trace = m.Trace.Snapshot().ToList();
            var firstFree = trace.FindIndex(e => e.Kind == EventKind.TableFreed);
            var queued = trace.Count(e => e.Kind == EventKind.RcuQueued);
            switch (LinuxEras.RemoveTableOne(arch.Descriptor))
            {
                case TableOnePath.IpiSyncThenFree:
                    // v6.1 tlb_remove_table_sync_one: every lone table free follows an IPI that every other CPU took, so
                    // no interrupts-off walker can still be inside it.
                    var firstSync = trace.FindIndex(e => e.Kind == EventKind.IpiTaken);
                    Assert.True(firstSync >= 0 && firstSync < firstFree, "a table was freed before the sync IPI was taken");
                    Assert.Equal(0, queued);
                    break;
                case TableOnePath.CallRcu:
                    // CONFIG_PT_RECLAIM: call_rcu per table; nothing is freed before a grace period.
                    Assert.True(queued >= 1, "no call_rcu for the lone tables");
                    Assert.True(firstFree < 0 || trace.FindIndex(e => e.Kind == EventKind.RcuCallback) is var cb && cb >= 0 && cb < firstFree,
                        "a table was freed before its RCU callback ran");
                    m.Rcu.Quiesce();
                    Assert.Contains(m.Trace.Snapshot(), e => e.Kind == EventKind.TableFreed);
                    break;
                case TableOnePath.RcuSyncThenFree:
                    // tlb_remove_table_sync_rcu: synchronize_rcu returned before the free, and no callback was queued.
                    Assert.True(firstFree >= 0, "no table was freed");
                    Assert.Equal(0, queued);
                    break;
                default:
                    Assert.True(firstFree >= 0, "no table was freed");
                    break;
            }
            m.Rcu.Quiesce();
            m.Memory.FailNext(FrameUse.TableBatch, 0);
            arch.ExitMmap(m.Cpu(0), mm);
            m.Rcu.Quiesce();
            Assert.Empty(m.Violations.All);
            Assert.Equal(baseline - m.Geometry.TableFrames(m.Geometry.Levels - 1), m.Memory.InUse); // the pgd went with the mm
        }

        private static TableRef PteTableOf(Machine m, Mm mm, ulong address)
        {
            Assert.NotEqual(0UL, LeafEntry(m, mm, address, out var table, out var level, out _));
            Assert.Equal(0, level);
            return table;
        }
    }
}
