// Shared between the analyzer (netstandard2.0) and the runtime (net10.0): what each Linux era does where eras differ,
// decided once for the reference and the generated code (docs/linux-eras.md).
namespace Shootdown
{
    /// <summary>How <c>tlb_remove_table_one</c> (the table-batch page could not be allocated) frees its one table.</summary>
    public enum TableOnePath
    {
        /// <summary>Freed at once: nothing walks locklessly that the invalidate's IPI did not already wait for.</summary>
        FreeAtOnce,
        /// <summary><c>tlb_remove_table_sync_one</c> (an IPI to every CPU, waited for), then <c>__tlb_remove_table</c>.</summary>
        IpiSyncThenFree,
        /// <summary><c>tlb_remove_table_sync_rcu</c> (<c>synchronize_rcu</c>), then <c>__tlb_remove_table</c>.</summary>
        RcuSyncThenFree,
        /// <summary><c>CONFIG_PT_RECLAIM</c>: <c>call_rcu(&amp;ptdesc-&gt;pt_rcu_head, __tlb_remove_table_one_rcu)</c>.</summary>
        CallRcu,
    }

    /// <summary>Era-dependent decisions of mm/mmu_gather.c, one function each.</summary>
    public static class LinuxEras
    {
        /// <summary>
        /// <c>CONFIG_PT_RECLAIM</c>: <c>def_bool y</c>, depends on <c>MMU_GATHER_RCU_TABLE_FREE &amp;&amp; !HAVE_ARCH_TLB_REMOVE_TABLE</c>
        /// (mm/Kconfig); powerpc and sparc64 select HAVE_ARCH_TLB_REMOVE_TABLE (<see cref="ArchDescriptor.ArchTlbRemoveTable"/>).
        /// Absent before v6.14 (6375e95f381e added it, x86-64 only at first).
        /// </summary>
        public static bool PtReclaim(ArchDescriptor d) =>
            d.Linux != LinuxEra.V6_1 && d.Has(GatherOptions.RcuTableFree) && !d.ArchTlbRemoveTable;

        /// <summary>The era as rule messages and docs name it: "Linux v6.1 (LinuxEra.V6_1)".</summary>
        public static string Name(LinuxEra era) => era switch
        {
            LinuxEra.V6_1 => "Linux v6.1 (LinuxEra.V6_1)",
            LinuxEra.Next => "linux-next (LinuxEra.Next)",
            _ => "current stable Linux (LinuxEra.Stable)",
        };

        /// <summary>What freeing one table costs when the table-batch page cannot be allocated, in <see cref="RemoveTableOne"/>'s terms.</summary>
        public static string RemoveTableOneText(ArchDescriptor d) => RemoveTableOne(d) switch
        {
            TableOnePath.IpiSyncThenFree => "waits for an IPI to every CPU (tlb_remove_table_sync_one)",
            TableOnePath.RcuSyncThenFree => "waits for a grace period (tlb_remove_table_sync_rcu)",
            TableOnePath.CallRcu => "goes through call_rcu",
            _ => "is freed at once, the invalidate's IPI having been the sync (tlb_table_flush_implies_ipi_broadcast)",
        };

        /// <summary>
        /// The path of <c>tlb_remove_table_one</c> in mm/mmu_gather.c: without RCU table freeing the table goes at once
        /// (<c>tlb_remove_table_sync_one</c> is empty); v6.1 syncs by IPI; later kernels free by <c>call_rcu</c> under
        /// PT_RECLAIM and otherwise wait for a grace period; linux-next skips that wait when the invalidate just sent
        /// IPIs to every CPU (<c>tlb_table_flush_implies_ipi_broadcast</c>).
        /// </summary>
        public static TableOnePath RemoveTableOne(ArchDescriptor d)
        {
            if (!d.Has(GatherOptions.RcuTableFree)) return TableOnePath.FreeAtOnce;
            if (d.Linux == LinuxEra.V6_1) return TableOnePath.IpiSyncThenFree;
            if (PtReclaim(d)) return TableOnePath.CallRcu;
            if (d.Linux == LinuxEra.Next && d.Invalidation == Invalidation.Ipi && !d.Has(GatherOptions.NoTableInvalidate))
                return TableOnePath.FreeAtOnce;
            return TableOnePath.RcuSyncThenFree;
        }
    }
}
