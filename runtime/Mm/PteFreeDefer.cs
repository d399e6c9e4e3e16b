using System.Collections.Generic;
using System.Runtime.CompilerServices;
using Shootdown.Simulation;

namespace Shootdown.Kernel
{
    /// <summary>
    /// <c>pte_free_defer</c>: free a PTE table after an RCU grace period without allocating anything (khugepaged's
    /// <c>retract_page_tables</c> cannot rely on allocation). Full-page tables use the page's own <c>rcu_head</c>
    /// (mm/pgtable-generic.c). Fragments share their page's single <c>rcu_head</c>, so, as in arch/s390/mm/pgalloc.c
    /// and arch/powerpc/mm/pgtable-frag.c (<c>pte_free_defer</c>: <c>folio_set_active</c>, then <c>pte_fragment_free</c>,
    /// whose <c>atomic_dec_and_test(&amp;ptdesc-&gt;pt_frag_refcount)</c> makes the one <c>call_rcu</c> when the folio was
    /// active), a deferred fragment only marks the page and stays unusable; the one <c>call_rcu</c> is made when the
    /// page's last fragment is freed, whichever path frees it, and the callback frees the whole page, however many of
    /// its (up to 256) fragments were deferred.
    /// </summary>
    public static class PteFreeDefer
    {
        private sealed class State
        {
            public readonly object Lock = new();
            public readonly HashSet<int> Active = new();          // PageActive: some fragment's free was deferred
            public readonly HashSet<int> Queued = new();          // rcu_head in use: its callback has not run
        }

        private static readonly ConditionalWeakTable<Machine, State> States = new();

        /// <summary>Defers freeing <paramref name="table"/> (already unhooked) until a grace period has passed.</summary>
        public static void Defer(Cpu cpu, TableRef table)
        {
            var m = cpu.Machine;
            if (table.IsNone) throw new System.ArgumentException("cannot free no table", nameof(table));
            if (m.Faulty(Fault.DeferFreesAtOnce))
            {
                m.Tables.Free(table, cpu.Id); // pte_free where pte_free_defer belongs
                TableBatch.FragmentFreed(cpu, table);
                return;
            }
            if (!m.Tables.IsFragmentPage(table.Pfn))
            {
                // Generic pte_free_defer: call_rcu(&ptdesc->pt_rcu_head, pte_free_now); one table per page, one head.
                m.Rcu.CallRcu(cpu, () => m.Tables.Free(table, cpu.Id));
                return;
            }
            var state = States.GetValue(m, _ => new State());
            lock (state.Lock)
            {
                m.Tables.MarkPendingFree(table); // not handed out again, and the page stays
                state.Active.Add(table.Pfn);
            }
            LastFragmentFreed(m, table.Pfn, cpu.Id);
        }

        /// <summary>Deferred pages whose one RCU callback is queued and has not run.</summary>
        public static int QueuedPages(Machine machine)
        {
            if (!States.TryGetValue(machine, out var state)) return 0;
            lock (state.Lock) return state.Queued.Count;
        }

        /// <summary>
        /// Called after a fragment of page <paramref name="pfn"/> was freed or deferred: when no fragment is in use any
        /// more and the page is marked, queue the page's single RCU callback (<c>TestClearPageActive</c> then
        /// <c>call_rcu</c>). While that head is queued nothing else may use it: a later deferral waits for it to run.
        /// </summary>
        internal static void LastFragmentFreed(Machine m, int pfn, int cpu)
        {
            if (!States.TryGetValue(m, out var state)) return;
            List<int> covered;
            lock (state.Lock)
            {
                if (!state.Active.Contains(pfn) || state.Queued.Contains(pfn)) return;
                var (inUse, pending) = m.Tables.FragmentState(pfn);
                if (inUse != 0 || pending == 0) return;
                state.Active.Remove(pfn);
                covered = m.Tables.PendingFragments(pfn);
                state.Queued.Add(pfn);
            }
            // The pointers to free carry each fragment's stamp now: a pending fragment keeps it until it is freed.
            var tables = new TableRef[covered.Count];
            for (var i = 0; i < tables.Length; i++) tables[i] = new TableRef(pfn, covered[i], m.Tables.Stamp(pfn, covered[i]));
            m.Rcu.CallRcu(m.Cpus[cpu], () => FreeNow(m, state, pfn, tables, cpu));
        }

        // pte_free_now: the grace period has passed for every fragment the head covers.
        private static void FreeNow(Machine m, State state, int pfn, TableRef[] tables, int cpu)
        {
            foreach (var table in tables) m.Tables.Free(table, cpu);
            lock (state.Lock) state.Queued.Remove(pfn);
            // A fragment deferred while the head was in flight gets the head now that it is free again.
            LastFragmentFreed(m, pfn, cpu);
        }
    }
}
