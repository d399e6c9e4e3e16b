using Shootdown.Simulation;

namespace Shootdown.Reference
{
    /// <summary>
    /// The table batch of <c>MMU_GATHER_TABLE_FREE</c> (mm/mmu_gather.c): <c>tlb_remove_table</c>,
    /// <c>tlb_table_flush</c>, <c>tlb_table_invalidate</c> and the allocation-failure path <c>tlb_remove_table_one</c>.
    /// </summary>
    public partial struct ReferenceGather
    {
        /// <summary>Tables waiting in the current table batch (<c>tlb->batch->nr</c>), 0 without one.</summary>
        public readonly int QueuedTables => _tableBatch?.Count ?? 0;

        /// <summary><c>tlb_remove_table</c>: queue a page table already unhooked from its parent entry.</summary>
        private void RemoveTable(TableRef table)
        {
            if (Faulty(Fault.TableFreeSingleUserAtOnce) && _d.Has(GatherOptions.RcuTableFree) && !OtherCpuRuns())
            {
                // Before a6f572084fbe: "when there's less then two users of this mm there cannot be a concurrent
                // page-table walk", so __tlb_remove_table at once; a CPU holding the mm lazily is no user.
                _cpu.Machine.Tables.Free(table, _cpu.Id);
                TableBatch.FragmentFreed(_cpu.Machine, table, _cpu.Id);
                return;
            }
            if (_tableBatch is null)
            {
                // __get_free_page(GFP_NOWAIT): MAX_TABLE_BATCH slots, fewer when an rcu_head heads the page.
                _tableBatch = TableBatch.TryAllocate(_cpu.Machine, GatherGeometry.MaxTableBatch(_d), _cpu.Id);
                if (_tableBatch is null)
                {
                    if (!Faulty(Fault.TableOneSkipsInvalidate)) TableInvalidate(); // d86564a2f085 added it
                    RemoveTableOne(table);
                    return;
                }
            }
            _tableBatch.Add(table, _cpu.Id);
            if (_tableBatch.IsFull) TableFlush(full: true); // nr == MAX_TABLE_BATCH: the batch leaves mid-unmap
        }

        // mm_users >= 2 as the machine sees it: another CPU runs this mm (a thread of it), lazily loaded does not count.
        private readonly bool OtherCpuRuns()
        {
            foreach (var cpu in _cpu.Machine.Cpus)
            {
                if (cpu != _cpu && cpu.ActiveMm == _mm) return true;
            }
            return false;
        }

        // tlb_table_flush: invalidate before the batch leaves this gather, then free it (after a grace period with
        // MMU_GATHER_RCU_TABLE_FREE).
        private void TableFlush(bool full = false)
        {
            if (_tableBatch is null) return;
            if (full && Faulty(Fault.TableFullFreesAtOnce))
            {
                _tableBatch.FreeNow(_cpu.Id);
                _tableBatch = null;
                return;
            }
            TableInvalidate();
            if (_d.Has(GatherOptions.RcuTableFree) && !Faulty(Fault.ParavirtFlushWithoutRcuTableFree)) _tableBatch.QueueRcu(_cpu); // call_rcu(tlb_remove_table_rcu)
            else _tableBatch.FreeNow(_cpu.Id);                                   // __tlb_remove_table_free
            _tableBatch = null;
        }

        // tlb_table_invalidate: tlb_needs_table_invalidate() is false only with MMU_GATHER_NO_TABLE_INVALIDATE.
        private void TableInvalidate()
        {
            if (_d.Has(GatherOptions.NoTableInvalidate) || Faulty(Fault.TableInvalidateSkipped)) return; // 0ed1325967ab
            FlushMmuTlbOnly();
        }

        // tlb_remove_table_one (mm/mmu_gather.c), by era (LinuxEras.RemoveTableOne, docs/linux-eras.md): no batch page,
        // so this one table goes alone once no walker can be inside it. v6.1 syncs by IPI (tlb_remove_table_sync_one);
        // later kernels free by call_rcu under PT_RECLAIM (718b13861d22) or wait for a grace period
        // (tlb_remove_table_sync_rcu, 1fb3d8c20bfa). Either way a pte_free_defer'd sibling fragment may have been waiting
        // for this one: FragmentFreed queues its page.
        private void RemoveTableOne(TableRef table)
        {
            var machine = _cpu.Machine;
            var path = Faulty(Fault.TableOneWithoutSync | Fault.ParavirtFlushWithoutRcuTableFree) ? TableOnePath.FreeAtOnce : LinuxEras.RemoveTableOne(_d);
            if (path == TableOnePath.CallRcu && Faulty(Fault.ReclaimTableOneIpiSync)) path = TableOnePath.IpiSyncThenFree;
            switch (path)
            {
                case TableOnePath.CallRcu:
                    var cpu = _cpu;
                    machine.Rcu.CallRcu(cpu, () => // __tlb_remove_table_one_rcu
                    {
                        machine.Tables.Free(table, cpu.Id);
                        TableBatch.FragmentFreed(machine, table, cpu.Id);
                    });
                    return;
                case TableOnePath.IpiSyncThenFree:
                    machine.Shootdown.SyncAllByIpi(_cpu); // tlb_remove_table_sync_one
                    break;
                case TableOnePath.RcuSyncThenFree:
                    machine.Rcu.SynchronizeRcu(_cpu); // tlb_remove_table_sync_rcu
                    break;
            }
            machine.Tables.Free(table, _cpu.Id); // __tlb_remove_table
            TableBatch.FragmentFreed(machine, table, _cpu.Id);
        }
    }
}
