using Shootdown.Generator.Model;

namespace Shootdown.Generator.Emit
{
    /// <summary>
    /// Emits the table batch of <c>MMU_GATHER_TABLE_FREE</c> (mm/mmu_gather.c): <c>tlb_remove_table</c>,
    /// <c>tlb_table_flush</c>, <c>tlb_table_invalidate</c> and the allocation-failure path <c>tlb_remove_table_one</c>.
    /// Only emitted for descriptors with TABLE_FREE.
    /// </summary>
    internal static class TableBatchEmitter
    {
        public static string Emit(ArchitectureModel model)
        {
            var d = model.Descriptor;
            var rcu = d.Has(GatherOptions.RcuTableFree);
            var w = PartialFrame.Open(model);
            w.Comment(
                "Table batch of " + d.Name + ": page tables are batched apart from pages (MMU_GATHER_TABLE_FREE)\n" +
                (d.HasFragments ? "because a page holds " + FragmentsText(d) + " and freeing one must not free its siblings' page.\n" : "") +
                (rcu
                    ? "Batches are freed after a sched-RCU grace period (MMU_GATHER_RCU_TABLE_FREE): lockless walkers run with\ninterrupts off, which holds the grace period off" + (d.MayBroadcast ? " where the broadcast invalidate waits for nobody." : ".")
                    : "Batches are freed right after the invalidate: the IPI that invalidated already waited for every walker.") + "\n" +
                (d.Has(GatherOptions.NoTableInvalidate)
                    ? "MMU_GATHER_NO_TABLE_INVALIDATE: the hardware never walks these tables, so freeing one needs no TLB invalidate."
                    : "tlb_table_invalidate flushes the TLB and walk caches before any table is freed."));
            w.Open("partial struct MmuGather");
            w.Line($"// MAX_TABLE_BATCH = (PAGE_SIZE - sizeof(struct mmu_table_batch)) / sizeof(void *){(rcu ? ", with an rcu_head" : ", no rcu_head")}");
            w.Line("private const int MaxTableBatch = " + GatherGeometry.MaxTableBatch(d) + ";");
            w.Line();
            w.Line("/// <summary><c>tlb_remove_table</c>: queue a page table; a full batch is invalidated and freed.</summary>");
            w.Line("/// <param name=\"table\">The table, already unhooked from its parent entry.</param>");
            w.Open("public void RemoveTable(" + Names.TableRef + " table)");
            w.Open("if (_tableBatch is null)");
            w.Line("_tableBatch = " + Names.TableBatch + ".TryAllocate(_cpu.Machine, MaxTableBatch, _cpu.Id);");
            w.Open("if (_tableBatch is null)");
            w.Line("TableInvalidate();");
            w.Line("RemoveTableOne(table);");
            w.Line("return;");
            w.Close();
            w.Close();
            w.Line("_tableBatch.Add(table, _cpu.Id);");
            w.Line("if (_tableBatch.IsFull) TableFlush();");
            w.Close();
            w.Line();
            w.Line("// tlb_table_flush");
            w.Open("private void TableFlush()");
            w.Line("if (_tableBatch is null) return;");
            w.Line("TableInvalidate();");
            w.Line(rcu ? "_tableBatch.QueueRcu(_cpu); // tlb_remove_table_free: call_rcu(tlb_remove_table_rcu)" : "_tableBatch.FreeNow(_cpu.Id); // __tlb_remove_table_free");
            w.Line("_tableBatch = null;");
            w.Close();
            w.Line();
            w.Line("// tlb_table_invalidate");
            w.Open("private void TableInvalidate()");
            if (d.Has(GatherOptions.NoTableInvalidate))
                w.Line("// tlb_needs_table_invalidate() is false: nothing walks these tables in hardware.");
            else
                w.Line("FlushMmuTlbOnly();");
            w.Close();
            w.Line();
            w.Line("// tlb_remove_table_one: no batch page, so free this table alone once no walker can be inside it.");
            w.Open("private void RemoveTableOne(" + Names.TableRef + " table)");
            switch (LinuxEras.RemoveTableOne(d))
            {
                case TableOnePath.CallRcu:
                    w.Line("// CONFIG_PT_RECLAIM (" + d.Linux + "): call_rcu per table, freed by __tlb_remove_table_one_rcu (718b13861d22).");
                    w.Line(Names.Cpu + " cpu = _cpu;");
                    w.Line(Names.Sim + "Machine machine = _cpu.Machine;");
                    w.Open("machine.Rcu.CallRcu(cpu, () =>");
                    w.Line("machine.Tables.Free(table, cpu.Id);");
                    w.Line(Names.TableBatch + ".FragmentFreed(machine, table, cpu.Id);");
                    w.Close(");");
                    break;
                case TableOnePath.IpiSyncThenFree:
                    w.Line("// tlb_remove_table_sync_one: an IPI to every CPU, waited for. Not a grace period, but an interrupts-off walker");
                    w.Line("// has not taken it, so none is still inside the table when it goes (v6.1).");
                    w.Line("// A fragment's page may hold a pte_free_defer'd sibling whose free waits for this one: FragmentFreed queues it.");
                    w.Line("_cpu.Machine.Shootdown.SyncAllByIpi(_cpu);");
                    FreeOne(w);
                    break;
                case TableOnePath.RcuSyncThenFree:
                    w.Line("// tlb_remove_table_sync_rcu: synchronize_rcu, then __tlb_remove_table (" + d.Linux + ", no PT_RECLAIM: 1fb3d8c20bfa).");
                    w.Line("_cpu.Machine.Rcu.SynchronizeRcu(_cpu);");
                    FreeOne(w);
                    break;
                default:
                    w.Line(rcu
                        ? "// The invalidate just sent an IPI to every CPU and waited: tlb_table_flush_implies_ipi_broadcast() skips the sync (linux-next)."
                        : "// Without MMU_GATHER_RCU_TABLE_FREE tlb_remove_table_sync_one() is empty: the invalidate's IPI already waited.");
                    FreeOne(w);
                    break;
            }
            w.Close();
            w.Close();
            return PartialFrame.Close(model, w);
        }

        // "16 tables" (PTE fragments only, pte_fragment_alloc), "256 PTE tables or 16 PMD tables" (pmd_fragment_alloc too).
        private static string FragmentsText(ArchDescriptor d) =>
            d.PmdFragmentsPerPage == 1 ? d.FragmentsPerPage + " tables"
            : d.FragmentsPerPage == 1 ? d.PmdFragmentsPerPage + " PMD tables"
            : d.FragmentsPerPage + " PTE tables or " + d.PmdFragmentsPerPage + " PMD tables";

        private static void FreeOne(SourceWriter w)
        {
            w.Line("_cpu.Machine.Tables.Free(table, _cpu.Id);");
            w.Line(Names.TableBatch + ".FragmentFreed(_cpu.Machine, table, _cpu.Id);");
        }
    }
}
