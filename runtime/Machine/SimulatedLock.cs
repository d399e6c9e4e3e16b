using System;
using System.Threading;

namespace Shootdown.Simulation
{
    /// <summary>
    /// A spinlock the scheduler understands (<c>spin_lock</c> on <c>page_table_lock</c> or a split PTE lock): taking it
    /// is a scheduling point and waiting for it is a <see cref="Scheduling.WaitUntil(Cpu, Func{bool}, string)"/>, so a controlled run never blocks
    /// a thread inside a real lock while holding the baton. Code that runs under the scheduler must use this rather
    /// than <c>lock</c>/<c>Monitor</c>.
    /// </summary>
    public sealed class SimulatedLock
    {
        private int _owner = -1;
        private readonly long _key;

        /// <summary>A lock whose state the explorer treats as depending on everything.</summary>
        public SimulatedLock() : this(SharedObject.Everything)
        {
        }

        /// <summary>A lock that is the shared object <paramref name="key"/> for the explorer's dependency relation.</summary>
        internal SimulatedLock(long key) => _key = key;

        /// <summary>The CPU holding the lock, or -1.</summary>
        public int Owner => Volatile.Read(ref _owner);

        /// <summary>Takes the lock for <paramref name="cpu"/>, waiting while another CPU holds it.</summary>
        public void Enter(Cpu cpu)
        {
            if (cpu is null) throw new ArgumentNullException(nameof(cpu));
            if (Owner == cpu.Id) throw new InvalidOperationException($"{cpu} already holds this lock (spinlocks do not nest)");
            cpu.Machine.Scheduling.Point(StepKind.Other);
            cpu.Machine.Scheduling.Touch(_key, true);
            while (Interlocked.CompareExchange(ref _owner, cpu.Id, -1) != -1)
                cpu.Machine.Scheduling.WaitUntil(cpu, () => Volatile.Read(ref _owner) == -1, "a spinlock", _key);
        }

        /// <summary>Releases the lock held by <paramref name="cpu"/>.</summary>
        public void Exit(Cpu cpu)
        {
            if (cpu is null) throw new ArgumentNullException(nameof(cpu));
            cpu.Machine.Scheduling.Touch(_key, true);
            if (Interlocked.CompareExchange(ref _owner, -1, cpu.Id) != cpu.Id)
                throw new InvalidOperationException($"{cpu} releases a lock it does not hold (owner: {Owner})");
            cpu.Machine.Scheduling.Point(StepKind.Other);
        }
    }
}
