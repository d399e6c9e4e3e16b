using System.Linq;
using Shootdown.Simulation;
using static Shootdown.Runtime.Tests.Generated.CatalogArchitectures;

namespace Shootdown.Runtime.Tests.Generated
{
    /// <summary>The generated table batch when its page cannot be allocated: tlb_remove_table_one.</summary>
    public sealed class TableBatchTests
    {
        [Theory]
        [MemberData(nameof(CatalogArchitectures.All), MemberType = typeof(CatalogArchitectures))]
        public void Tables_freed_one_by_one_wait_for_an_ipi_every_cpu_took_where_rcu_frees_tables(string name)
        {
            var arch = Get(name);
            var (m, mm) = Boot(arch);
            var baseline = m.Memory.InUse;
            var span = m.Geometry.TableSpan(0);
            var start = span * 8;
            AddressSpace.Mmap(m, mm, start, 2 * span, VmaFlags.Write);
            Assert.True(AddressSpace.Fault(m.Cpu(0), mm, start));
            Assert.True(AddressSpace.Fault(m.Cpu(0), mm, start + span));
            m.Memory.FailNext(FrameUse.TableBatch, 100);
            m.Trace.Enabled = true;

            arch.Munmap(m.Cpu(0), mm, start, 2 * span);

            var trace = m.Trace.Snapshot();
            Assert.Contains(trace, e => e.Kind == EventKind.TableFreed);
            if (arch.Descriptor.Has(GatherOptions.RcuTableFree))
            {
                // tlb_remove_table_sync_one: every lone table free follows an IPI that every other CPU took, so no
                // interrupts-off walker can still be inside it.
                var firstSync = trace.ToList().FindIndex(e => e.Kind == EventKind.IpiTaken);
                var firstFree = trace.ToList().FindIndex(e => e.Kind == EventKind.TableFreed);
                Assert.True(firstSync >= 0 && firstSync < firstFree, "a table was freed before the sync IPI was taken");
                Assert.Equal(0, trace.Count(e => e.Kind == EventKind.RcuQueued));
            }
            m.Rcu.Quiesce();
            m.Memory.FailNext(FrameUse.TableBatch, 0);
            arch.ExitMmap(m.Cpu(0), mm);
            m.Rcu.Quiesce();
            Assert.Empty(m.Violations.All);
            Assert.Equal(baseline - m.Geometry.TableFrames(m.Geometry.Levels - 1), m.Memory.InUse); // the pgd went with the mm
        }
    }
}
