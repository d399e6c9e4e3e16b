namespace Shootdown.Archs.Catalog
{
    /// <summary>
    /// User Mode Linux on x86-64: the "TLB" is the host mappings of each process's stub, brought in line with the Linux
    /// tables by host system calls at flush time; no hardware reads the Linux tables, no fast GUP; RCU table freeing
    /// since early 2026.
    /// </summary>
    /// <remarks>
    /// <para>arch/um/Kconfig: no <c>HAVE_GUP_FAST</c>, no <c>ARCH_HAS_PTE_SPECIAL</c>, no <c>MMU_GATHER_*</c> vma options;
    /// <c>select MMU_GATHER_RCU_TABLE_FREE</c> came with "um: mm: enable MMU_GATHER_RCU_TABLE_FREE" (Qi Zheng, v4 6/8 of
    /// "enable PT_RECLAIM on more 64-bit architectures", 2026-01-27, in akpm/mm; mainline commit id not verified). Era
    /// <see cref="LinuxEra.Stable"/>. <c>PGTABLE_LEVELS</c> 4 on 64-bit (not verified against a stored arch/um/Kconfig).</para>
    /// <para>A translation lives in the host: <c>um_tlb_sync</c> (arch/um/kernel/tlb.c) walks the Linux tables of the mm
    /// and replays the changes as <c>mmap</c>/<c>munmap</c>/<c>mprotect</c> in the mm's stub, under the mm's lock, before
    /// the flush returns. It interrupts no CPU and waits for none, so it is described as
    /// <see cref="Invalidation.HardwareBroadcast"/>; no hardware walks the Linux tables (<see cref="WalkerKind.None"/>: the
    /// host MMU walks the host's). The table invalidate stays (<c>MMU_GATHER_NO_TABLE_INVALIDATE</c> is not selected): it
    /// is where the host mappings are brought in line.</para>
    /// <para>SMP: "um: Add SMP support" (Tiwei Bie, v4 of 2025-10-27) runs each virtual CPU as a host thread, but a
    /// process's user code still runs in its single-threaded stub, so one mm's user space runs on one virtual CPU at a
    /// time. Not modelled: the stub, the host page tables, and the sync itself; the model's broadcast flush stands for
    /// it.</para>
    /// </remarks>
    [Architecture("um")]
    [TlbInvalidation(Invalidation.HardwareBroadcast)]
    [PageTables(4)]
    [PteFormat(64, 64)]
    [HardwareWalker(WalkerKind.None)]
    [Gather(GatherOptions.RcuTableFree)]
    public static partial class Um
    {
    }
}
