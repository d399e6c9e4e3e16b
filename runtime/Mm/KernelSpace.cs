using System;
using System.Collections.Generic;
using Shootdown.Simulation;

namespace Shootdown.Kernel
{
    /// <summary>How a kernel PGD entry added at run time reaches every mm's own PGD (x86 <c>sync_global_pgds</c> and the lockless <c>pgd_alloc()</c> series).</summary>
    public enum PgdSyncDesign
    {
        /// <summary>
        /// x86's <c>pgd_list</c> under <c>pgd_lock</c>: <c>pgd_ctor</c> copies the kernel entries and joins the list under
        /// the lock; <c>sync_global_pgds</c> walks the list under the same lock.
        /// </summary>
        LockedPgdList,

        /// <summary>
        /// No list and no global lock: fork publishes the new mm on its task first, then copies the kernel entries
        /// (<c>arch_pgd_init_late</c>); <c>sync_global_pgds</c> updates the reference PGD first, then walks every task
        /// under its task lock. Whichever runs second sees the other's write, so no mm misses an entry.
        /// </summary>
        LocklessPublishThenCopy,

        /// <summary>
        /// The lockless design with the two fork steps in the wrong order (copy, then publish): an entry added between
        /// them reaches neither the copy nor the walk. Kept to show why the order matters.
        /// </summary>
        LocklessCopyThenPublish,
    }

    /// <summary>The steps of fork's <c>pgd_alloc</c> where another CPU may act.</summary>
    public enum ForkStep
    {
        /// <summary>The new PGD exists; no kernel entry copied, not published.</summary>
        PgdAllocated,
        /// <summary>The new mm is reachable from the task list (lockless designs).</summary>
        Published,
        /// <summary>The kernel entries were copied from the reference PGD.</summary>
        KernelEntriesCopied,
    }

    /// <summary>A task: its mm (null after exit) and <c>task_lock</c>.</summary>
    public sealed class SimTask
    {
        private Mm? _mm;

        internal SimTask(int pid)
        {
            Pid = pid;
            Lock = new SimulatedLock(SharedObject.Lock(KernelSpace.TaskKeyBase + pid));
        }

        /// <summary>Process id.</summary>
        public int Pid { get; }

        /// <summary><c>tsk->mm</c>; changed only under <see cref="Lock"/>.</summary>
        public Mm? Mm
        {
            get
            {
                Scheduling.TouchCurrent(SharedObject.Lock(KernelSpace.TaskKeyBase + Pid), false);
                return _mm;
            }
            internal set
            {
                Scheduling.TouchCurrent(SharedObject.Lock(KernelSpace.TaskKeyBase + Pid), true);
                _mm = value;
            }
        }

        /// <summary><c>task_lock</c> (a spinlock: <c>alloc_lock</c>).</summary>
        public SimulatedLock Lock { get; }

        /// <inheritdoc/>
        public override string ToString() => $"task {Pid}";
    }

    /// <summary>
    /// Per-mm PGDs sharing the kernel half: the reference PGD (<c>swapper_pg_dir</c>), the task list, and fork, exec and
    /// exit as they concern page tables. The upper half of every PGD belongs to the kernel; user mappings, and the tables
    /// exit frees, stay below <see cref="UserCeiling"/>.
    /// </summary>
    public sealed class KernelSpace
    {
        private readonly Machine _m;
        // Explorer keys: the task list, pgd_lock (which guards pgd_list), and each task (task_lock and tsk->mm).
        internal const long TaskListKey = 1L << 40;
        internal const long PgdLockKey = TaskListKey + 1;
        internal const long TaskKeyBase = TaskListKey + 2;

        private readonly SimulatedLock _pgdLock = new(SharedObject.Lock(PgdLockKey)); // pgd_lock
        private readonly List<Mm> _pgdList = new();         // pgd_list
        private readonly List<SimTask> _tasks = new();      // the task list (tasklist_lock for writers)
        private int _nextPid;

        /// <summary>A kernel on <paramref name="machine"/> syncing kernel entries the <paramref name="design"/> way.</summary>
        public KernelSpace(Machine machine, PgdSyncDesign design, int cpu = 0)
        {
            ArgumentNullException.ThrowIfNull(machine);
            if (!Enum.IsDefined(design)) throw new ArgumentOutOfRangeException(nameof(design), design, "no such design");
            _m = machine;
            Design = design;
            var g = machine.Geometry;
            Top = g.Levels - 1;
            KernelFirstIndex = g.Entries(Top) / 2;
            UserCeiling = g.EntrySize(Top) * (ulong)KernelFirstIndex;
            ReferencePgd = machine.Tables.Allocate(Top, cpu);
            if (ReferencePgd.IsNone) throw new InsufficientMemoryException("no frame for swapper_pg_dir");
        }

        /// <summary>The design in use.</summary>
        public PgdSyncDesign Design { get; }

        /// <summary><c>swapper_pg_dir</c>: the kernel entries every PGD must have.</summary>
        public TableRef ReferencePgd { get; }

        /// <summary>The first PGD index of the kernel half.</summary>
        public int KernelFirstIndex { get; }

        /// <summary>User addresses end here (<c>USER_PGTABLES_CEILING</c>).</summary>
        public ulong UserCeiling { get; }

        private int Top { get; }

        /// <summary>The live tasks.</summary>
        public IReadOnlyList<SimTask> Tasks
        {
            get
            {
                _m.Scheduling.Touch(SharedObject.Lock(TaskListKey), false);
                lock (_tasks) return _tasks.ToArray();
            }
        }

        /// <summary>The first task, with an empty mm.</summary>
        public SimTask Spawn(Cpu cpu) => NewTask(cpu, null) ?? throw new InsufficientMemoryException("no frame for the first PGD");

        /// <summary>
        /// <c>fork</c>: a new task with a new mm (<c>pgd_alloc</c> the design's way) and the parent's VMAs
        /// (<c>dup_mmap</c>; the simulator has no page contents, so the child faults its pages in afresh).
        /// <paramref name="interleave"/> runs at each <see cref="ForkStep"/>. Null when memory ran out.
        /// </summary>
        public SimTask? Fork(Cpu cpu, SimTask parent, Action<ForkStep>? interleave = null)
        {
            ArgumentNullException.ThrowIfNull(parent);
            var parentMm = parent.Mm ?? throw new InvalidOperationException($"{parent} has exited");
            Vma[] vmas;
            parentMm.MmapLock.EnterReadLock(cpu);
            try
            {
                lock (parentMm.Vmas) vmas = parentMm.Vmas.ToArray();
            }
            finally
            {
                parentMm.MmapLock.ExitReadLock(cpu);
            }
            var child = NewTask(cpu, interleave);
            var mm = child?.Mm;
            if (child is null || mm is null) return null;
            foreach (var vma in vmas) AddressSpace.Mmap(cpu, mm, vma.Start, vma.End - vma.Start, vma.Flags);
            return child;
        }

        /// <summary>
        /// <c>execve</c>: a new mm with a stack VMA just below <see cref="UserCeiling"/> holding
        /// <paramref name="argPages"/> pages, moved down by <c>shift_arg_pages</c>; the task switches to it
        /// (<c>exec_mmap</c>) and the old mm is torn down. False when memory ran out (the task keeps its old mm).
        /// </summary>
        public bool Exec<TGather>(Cpu cpu, SimTask task, int argPages = 2, Action<ForkStep>? interleave = null)
            where TGather : struct, IMmuGather<TGather>
        {
            ArgumentNullException.ThrowIfNull(cpu);
            ArgumentNullException.ThrowIfNull(task);
            if (argPages < 1) throw new ArgumentOutOfRangeException(nameof(argPages), argPages, "exec needs at least one argument page");
            if (task.Mm is null) throw new InvalidOperationException($"{task} has exited");
            var g = _m.Geometry;
            var page = (ulong)g.PageSize;
            var mm = _m.CreateMm(cpu.Id);
            if (mm is null) return false;
            interleave?.Invoke(ForkStep.PgdAllocated);
            if (Design == PgdSyncDesign.LockedPgdList) LockedCtor(cpu, mm);
            // bprm_mm_init: the temporary stack sits at the top; setup_arg_pages moves it down.
            var length = (ulong)argPages * page;
            var stack = AddressSpace.Mmap(cpu, mm, UserCeiling - length, length, VmaFlags.Write);
            var ok = AddressSpace.Populate(cpu, mm, stack.Start, stack.End);
            if (ok) Exec_ShiftStack<TGather>(cpu, mm, stack, g);
            if (!ok)
            {
                Teardown<TGather>(cpu, mm);
                return false;
            }
            Mm old;
            if (Design == PgdSyncDesign.LockedPgdList)
            {
                task.Lock.Enter(cpu);
                old = task.Mm!;
                task.Mm = mm;
                task.Lock.Exit(cpu);
            }
            else
            {
                PublishAndCopy(cpu, task, mm, interleave, swap: true, out old);
            }
            Teardown<TGather>(cpu, old);
            return true;
        }

        private void Exec_ShiftStack<TGather>(Cpu cpu, Mm mm, Vma stack, PageTableGeometry g) where TGather : struct, IMmuGather<TGather>
        {
            // Far enough to leave the top PMD's tables behind, so free_pgd_range has something to free.
            var shift = g.EntrySize(1);
            if (shift <= stack.Start) Kernel.Exec.ShiftArgPages<TGather>(cpu, mm, stack, shift);
        }

        /// <summary><c>exit</c>: the task drops its mm under its task lock, then the mm is torn down and its PGD freed.</summary>
        public void Exit<TGather>(Cpu cpu, SimTask task) where TGather : struct, IMmuGather<TGather>
        {
            ArgumentNullException.ThrowIfNull(cpu);
            ArgumentNullException.ThrowIfNull(task);
            Mm? mm;
            task.Lock.Enter(cpu);
            mm = task.Mm;
            task.Mm = null;
            task.Lock.Exit(cpu);
            if (mm is null) throw new InvalidOperationException($"{task} has already exited");
            _m.Scheduling.Touch(SharedObject.Lock(TaskListKey), true);
            lock (_tasks) _tasks.Remove(task);
            Teardown<TGather>(cpu, mm);
        }

        /// <summary>
        /// Adds a kernel mapping at PGD index <paramref name="index"/> (a new kernel table, as vmalloc or memory hotplug
        /// would) and <c>sync_global_pgds</c>. False when no frame was left.
        /// </summary>
        public bool AddKernelEntry(Cpu cpu, int index)
        {
            ArgumentNullException.ThrowIfNull(cpu);
            if (index < KernelFirstIndex || index >= _m.Geometry.Entries(Top))
                throw new ArgumentOutOfRangeException(nameof(index), index, $"kernel PGD entries are {KernelFirstIndex}..{_m.Geometry.Entries(Top) - 1}");
            var table = _m.Tables.Allocate(Top - 1, cpu.Id);
            if (table.IsNone) return false;
            var entry = PageTables.TableEntry(_m, table);
            if (Design == PgdSyncDesign.LockedPgdList)
            {
                _pgdLock.Enter(cpu);
                try
                {
                    PageTables.Write(_m, ReferencePgd, Top, index, entry);
                    foreach (var mm in _pgdList) SetIfNone(mm.Pgd, index, entry);
                }
                finally
                {
                    _pgdLock.Exit(cpu);
                }
                return true;
            }
            // The reference first, then every task: a fork that publishes after this walk copies from the reference.
            PageTables.Write(_m, ReferencePgd, Top, index, entry);
            foreach (var task in Tasks)
            {
                task.Lock.Enter(cpu);
                try
                {
                    if (task.Mm is { } mm) SetIfNone(mm.Pgd, index, entry);
                }
                finally
                {
                    task.Lock.Exit(cpu);
                }
            }
            return true;
        }

        /// <summary>Live mms lacking a kernel entry the reference PGD has, as (task, PGD index) pairs.</summary>
        public IReadOnlyList<(SimTask Task, int Index)> MissingKernelEntries() =>
            MissingKernelEntries(_m.Scheduling.Current ?? _m.Cpus[0]);

        /// <summary>Live mms lacking a kernel entry the reference PGD has, looked up on <paramref name="cpu"/> under each task lock.</summary>
        public IReadOnlyList<(SimTask Task, int Index)> MissingKernelEntries(Cpu cpu)
        {
            ArgumentNullException.ThrowIfNull(cpu);
            var missing = new List<(SimTask, int)>();
            var entries = _m.Geometry.Entries(Top);
            foreach (var task in Tasks)
            {
                task.Lock.Enter(cpu);
                try
                {
                    if (task.Mm is not { } mm) continue;
                    for (var i = KernelFirstIndex; i < entries; i++)
                    {
                        var want = PageTables.Read(_m, ReferencePgd, Top, i);
                        if (Entry.IsPresent(want) && PageTables.Read(_m, mm.Pgd, Top, i) != want) missing.Add((task, i));
                    }
                }
                finally
                {
                    task.Lock.Exit(cpu);
                }
            }
            return missing;
        }

        private SimTask? NewTask(Cpu cpu, Action<ForkStep>? interleave)
        {
            ArgumentNullException.ThrowIfNull(cpu);
            var mm = _m.CreateMm(cpu.Id);
            if (mm is null) return null;
            interleave?.Invoke(ForkStep.PgdAllocated);
            SimTask task;
            _m.Scheduling.Touch(SharedObject.Lock(TaskListKey), true);
            lock (_tasks) task = new SimTask(++_nextPid);
            if (Design == PgdSyncDesign.LockedPgdList)
            {
                LockedCtor(cpu, mm);
                interleave?.Invoke(ForkStep.KernelEntriesCopied);
                task.Mm = mm;
                _m.Scheduling.Touch(SharedObject.Lock(TaskListKey), true);
                lock (_tasks) _tasks.Add(task);
                interleave?.Invoke(ForkStep.Published);
                return task;
            }
            PublishAndCopy(cpu, task, mm, interleave, swap: false, out _);
            return task;
        }

        // pgd_ctor + pgd_list_add under pgd_lock.
        private void LockedCtor(Cpu cpu, Mm mm)
        {
            _pgdLock.Enter(cpu);
            try
            {
                CopyKernelEntries(mm);
                _pgdList.Add(mm);
            }
            finally
            {
                _pgdLock.Exit(cpu);
            }
        }

        private void PublishAndCopy(Cpu cpu, SimTask task, Mm mm, Action<ForkStep>? interleave, bool swap, out Mm old)
        {
            old = null!;
            if (Design == PgdSyncDesign.LocklessCopyThenPublish)
            {
                CopyKernelEntries(mm);
                interleave?.Invoke(ForkStep.KernelEntriesCopied);
            }
            task.Lock.Enter(cpu);
            if (swap) old = task.Mm!;
            task.Mm = mm;
            task.Lock.Exit(cpu);
            if (!swap)
            {
                _m.Scheduling.Touch(SharedObject.Lock(TaskListKey), true);
                lock (_tasks) _tasks.Add(task);
            }
            interleave?.Invoke(ForkStep.Published);
            if (Design == PgdSyncDesign.LocklessPublishThenCopy)
            {
                CopyKernelEntries(mm); // arch_pgd_init_late
                interleave?.Invoke(ForkStep.KernelEntriesCopied);
            }
        }

        private void CopyKernelEntries(Mm mm)
        {
            var entries = _m.Geometry.Entries(Top);
            for (var i = KernelFirstIndex; i < entries; i++)
            {
                var entry = PageTables.Read(_m, ReferencePgd, Top, i);
                if (Entry.IsPresent(entry)) SetIfNone(mm.Pgd, i, entry);
            }
        }

        private void SetIfNone(TableRef pgd, int index, ulong entry)
        {
            if (!Entry.IsPresent(PageTables.Read(_m, pgd, Top, index))) PageTables.Write(_m, pgd, Top, index, entry);
        }

        // exit_mmap below the user ceiling, then pgd_free (leaving pgd_list first in the locked design).
        private void Teardown<TGather>(Cpu cpu, Mm mm) where TGather : struct, IMmuGather<TGather>
        {
            AddressSpace.ExitMmap<TGather>(cpu, mm, UserCeiling);
            if (Design == PgdSyncDesign.LockedPgdList)
            {
                _pgdLock.Enter(cpu);
                _pgdList.Remove(mm);
                _pgdLock.Exit(cpu);
            }
            _m.Tables.Free(mm.Pgd, cpu.Id);
            mm.Pgd = TableRef.None;
        }
    }
}
