namespace Shootdown.Simulation
{
    // CONFIG_PT_RECLAIM (mm/memory.c zap_pte_range, zap_empty_pte_table, zap_pte_table_if_empty; mm/pt_reclaim.c before
    // they moved there): a zap that covered a whole PTE table and left it empty unhooks it from its PMD and frees it
    // through the gather (pte_free_tlb), under mmap_read_lock. Lockless walkers that read the PMD before it was cleared
    // may still be inside the table: fast GUP with interrupts off, pte_offset_map under rcu_read_lock. Only the gather's
    // RCU table freeing (tlb_remove_table, MMU_GATHER_RCU_TABLE_FREE, which PT_RECLAIM depends on in every era that has
    // it) keeps the table alive for them; docs/linux-eras.md.
    public static partial class AddressSpace
    {
        // The PMD entry that points at the PTE table being zapped, when that table may be reclaimed.
        private readonly struct ReclaimTarget
        {
            public ReclaimTarget(TableRef pmdTable, int pmdIndex, TableRef ptes)
            {
                PmdTable = pmdTable;
                PmdIndex = pmdIndex;
                Ptes = ptes;
            }

            public TableRef PmdTable { get; }
            public int PmdIndex { get; }
            public TableRef Ptes { get; }
            public bool IsSet => !Ptes.IsNone;
        }

        // zap_pte_range with can_reclaim_pt: the fast path unhooks the table in the zap's last pass, under its lock; a
        // zap that had to stop (a full batch dropped the lock) rechecks every entry under the lock instead, as a fault
        // may have filled the table in between (zap_pte_table_if_empty). Then pte_free_tlb and mm_dec_nr_ptes.
        private static void ZapAndReclaimPteTable<TGather>(ref TGather tlb, Cpu cpu, Mm mm, TableRef pmdTable, int pmdIndex, TableRef ptes, ulong start, ulong end)
            where TGather : struct, IMmuGather<TGather>
        {
            var target = new ReclaimTarget(pmdTable, pmdIndex, ptes);
            var unhooked = ZapPteRange(ref tlb, cpu, mm, ptes, start, end, target);
            if (!unhooked)
            {
                mm.PageTableLock.Enter(cpu); // pmd_lock, then the PTE lock nested (one lock here)
                try { unhooked = IsEmpty(cpu.Machine, ptes) && UnhookPteTable(cpu, target, start); }
                finally { mm.PageTableLock.Exit(cpu); }
            }
            if (!unhooked) return;
            var m = cpu.Machine;
            if (m.Faulty(Simulation.Fault.ReclaimFreesAtOnce))
            {
                m.Tables.Free(ptes, cpu.Id); // pte_free where pte_free_tlb belongs
                TableBatch.FragmentFreed(cpu, ptes);
                return;
            }
            tlb.FreeTable(0, ptes, start); // pte_free_tlb
        }

        // pmd_clear under the page-table lock (held by the caller), when the PMD still points at the table
        // (pte_offset_map_rw_nolock returns NULL once it does not).
        private static bool UnhookPteTable(Cpu cpu, ReclaimTarget target, ulong address)
        {
            var m = cpu.Machine;
            var pmd = PageTables.Read(m, target.PmdTable, 1, target.PmdIndex);
            if (!Entry.IsPresent(pmd) || (pmd & Entry.Leaf) != 0 || PageTables.Deref(m, pmd, 0) != target.Ptes) return false;
            PageTables.Clear(m, target.PmdTable, 1, target.PmdIndex);
            m.Trace.Record(EventKind.EntryCleared, cpu.Id, address, 1);
            return true;
        }

        // The emptiness check of zap_pte_table_if_empty: every one of PTRS_PER_PTE entries is pte_none.
        private static bool IsEmpty(Machine m, TableRef ptes)
        {
            for (var i = 0; i < m.Geometry.Entries(0); i++)
            {
                if (PageTables.Read(m, ptes, 0, i) != 0) return false;
            }
            return true;
        }
    }
}
