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
        public void Tables_freed_one_by_one_wait_for_a_grace_period_where_rcu_frees_tables(string name)
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

            m.Rcu.Quiesce();
            var trace = m.Trace.Snapshot();
            Assert.Contains(trace, e => e.Kind == EventKind.TableFreed);
            if (arch.Descriptor.Has(GatherOptions.RcuTableFree))
            {
                // Each table goes through its own call_rcu (no batch page to carry an rcu_head): by every table-page free,
                // at least as many grace periods have ended as pages were freed (fragments of one page share its free).
                int callbacks = 0, frees = 0;
                foreach (var e in trace)
                {
                    if (e.Kind == EventKind.RcuCallback) callbacks++;
                    if (e.Kind != EventKind.TableFreed) continue;
                    frees++;
                    Assert.True(callbacks >= frees, $"table page {e.A} was freed before its grace period ended");
                }
            }
            m.Memory.FailNext(FrameUse.TableBatch, 0);
            arch.ExitMmap(m.Cpu(0), mm);
            m.Rcu.Quiesce();
            Assert.Empty(m.Violations.All);
            Assert.Equal(baseline - 1, m.Memory.InUse);
        }
    }
}
