using System;
using System.Collections.Generic;
using System.Threading;

namespace Shootdown.Simulation
{
    /// <summary>VMA flags that teardown looks at.</summary>
    [Flags]
    public enum VmaFlags
    {
        /// <summary>Nothing special.</summary>
        None = 0,
        /// <summary>Writable.</summary>
        Write = 1,
        /// <summary>Executable (<c>VM_EXEC</c>): the flush must cover the I-TLB too.</summary>
        Exec = 2,
        /// <summary>Backed by huge pages (<c>VM_HUGETLB</c>).</summary>
        Huge = 4,
        /// <summary>Raw PFN mapping (<c>VM_PFNMAP</c>): special PTEs, no refcounting.</summary>
        PfnMap = 8,
        /// <summary>
        /// Mixed mapping (<c>VM_MIXEDMAP</c>): a driver mapping that may hold pages with a <c>struct page</c>
        /// (<c>vm_insert_page</c>) beside raw PFNs. The model maps only the former, refcounted pages behind normal PTEs,
        /// so their zap fills the page batch: what makes an intermediate flush inside such a VMA possible.
        /// </summary>
        MixedMap = 16,
    }

    /// <summary>A virtual memory area: [Start, End) with flags.</summary>
    public sealed class Vma
    {
        /// <summary>An area [<paramref name="start"/>, <paramref name="end"/>).</summary>
        public Vma(ulong start, ulong end, VmaFlags flags)
        {
            Start = start;
            End = end;
            Flags = flags;
        }

        /// <summary>First address.</summary>
        public ulong Start { get; internal set; }
        /// <summary>One past the last address.</summary>
        public ulong End { get; internal set; }
        /// <summary>Flags.</summary>
        public VmaFlags Flags { get; internal set; }

        /// <inheritdoc/>
        public override string ToString() => $"[{Start:x}, {End:x}) {Flags}";
    }

    /// <summary>An address space (<c>struct mm_struct</c>).</summary>
    public sealed class Mm
    {
        private int _flushPending;
        private long _cpuMask;

        internal Mm(TableRef pgd, int id)
        {
            Id = id;
            Pgd = pgd;
            _key = SharedObject.Mm(id);
            // The mmap_lock is the mm object itself for the explorer: what it guards (the VMAs) is read and written only
            // between its acquire and release, which are then ordered with every other touch of the mm.
            MmapLock = new SimulatedReaderWriterLock(_key);
            PageTableLock = new SimulatedLock(SharedObject.Lock(id));
        }

        private readonly long _key;

        /// <summary>
        /// Id unique on its machine (1, 2, ... in creation order); tags TLB and walk-cache entries. Two machines doing the
        /// same operations number their mms alike, so nothing that depends on it differs between them.
        /// </summary>
        public int Id { get; }

        /// <summary>The top-level table.</summary>
        public TableRef Pgd
        {
            get
            {
                Scheduling.TouchCurrent(SharedObject.Pgd(Id), false);
                return _pgd;
            }
            internal set
            {
                Scheduling.TouchCurrent(SharedObject.Pgd(Id), true);
                _pgd = value;
            }
        }

        private TableRef _pgd;

        /// <summary>VMAs ordered by address.</summary>
        public List<Vma> Vmas { get; } = new();

        /// <summary>
        /// <c>pgtable_trans_huge_deposit</c> (mm/pgtable-generic.c): the PTE table kept under each huge PMD that replaced
        /// it, by the PMD's address, for a later split; <c>zap_huge_pmd</c> withdraws and frees it
        /// (<c>zap_deposited_table</c>). Read and written under <see cref="PageTableLock"/> only (the PMD lock).
        /// </summary>
        internal Dictionary<ulong, TableRef> Deposited { get; } = new();

        /// <summary>The deposited PTE tables (<see cref="Deposited"/>): owned by this mm, reachable from no entry.</summary>
        public IReadOnlyCollection<TableRef> DepositedTables => Deposited.Values;

        /// <summary>
        /// <c>mmap_lock</c>: munmap, exit, exec and khugepaged take it for write; faults, madvise and slow GUP for read.
        /// Scheduler-aware, so CPUs of a controlled run may contend for it.
        /// </summary>
        public SimulatedReaderWriterLock MmapLock { get; }

        /// <summary>
        /// <c>page_table_lock</c> (standing in for the split PTE locks too): serializes installing page tables and
        /// changing entries under it. A scheduler-aware spinlock.
        /// </summary>
        public SimulatedLock PageTableLock { get; }

        /// <summary><c>mm->tlb_flush_pending</c>: gathers in flight on this mm.</summary>
        public int TlbFlushPending
        {
            get
            {
                Scheduling.TouchCurrent(_key, false);
                return Volatile.Read(ref _flushPending);
            }
        }

        /// <summary><c>inc_tlb_flush_pending</c>.</summary>
        public void IncFlushPending()
        {
            Scheduling.TouchCurrent(_key, true);
            Interlocked.Increment(ref _flushPending);
        }

        /// <summary><c>dec_tlb_flush_pending</c>.</summary>
        public void DecFlushPending()
        {
            Scheduling.TouchCurrent(_key, true);
            Interlocked.Decrement(ref _flushPending);
        }

        /// <summary>
        /// <c>mm_global_asid(mm) != 0</c>: x86 INVLPGB flushes this mm by hardware broadcast (<c>broadcast_tlb_flush</c>)
        /// when the descriptor has <see cref="ArchDescriptor.GlobalAsidBroadcast"/>. Linux hands one out in
        /// <c>consider_global_asid</c> (after an IPI flush, to an mm active on four or more CPUs) and keeps it until
        /// <c>destroy_context_free_global_asid</c>; here a scenario sets it before the race starts.
        /// </summary>
        public bool GlobalAsid
        {
            get
            {
                Scheduling.TouchCurrent(_key, false);
                return Volatile.Read(ref _globalAsid);
            }
            set
            {
                Scheduling.TouchCurrent(_key, true);
                Volatile.Write(ref _globalAsid, value);
            }
        }

        private bool _globalAsid;

        /// <summary><c>mm_tlb_flush_nested</c>: more than one gather is in flight.</summary>
        public bool FlushNested => TlbFlushPending > 1;

        /// <summary><c>mm_cpumask</c>: CPUs that may hold translations of this mm.</summary>
        public long CpuMask
        {
            get
            {
                Scheduling.TouchCurrent(_key, false);
                return Interlocked.Read(ref _cpuMask);
            }
        }

        /// <summary>Notes that <paramref name="cpu"/> ran this mm (<c>cpumask_set_cpu</c> at switch_mm).</summary>
        public void MarkCpu(int cpu)
        {
            Scheduling.TouchCurrent(_key, true);
            Interlocked.Or(ref _cpuMask, 1L << cpu);
        }

        /// <summary>The VMA containing <paramref name="address"/>, or null.</summary>
        /// <remarks>Linux needs the mmap lock for <c>find_vma</c>; here the list's own lock also makes an unlocked peek safe.</remarks>
        public Vma? FindVma(ulong address)
        {
            Scheduling.TouchCurrent(_key, false);
            lock (Vmas)
            {
                foreach (var vma in Vmas)
                {
                    if (address >= vma.Start && address < vma.End) return vma;
                }
                return null;
            }
        }
    }
}
