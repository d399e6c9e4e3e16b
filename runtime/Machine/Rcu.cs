using System;
using System.Collections.Generic;
using System.Threading;

namespace Shootdown.Simulation
{
    /// <summary>
    /// Sched-RCU. A grace period that starts at <see cref="CallRcu"/> or <see cref="SynchronizeRcu"/> ends only after
    /// every CPU passed a quiescent state: a scheduling point with interrupts on and outside <see cref="Cpu.RcuReadLock"/>,
    /// an idle CPU (no task) with interrupts on, or a CPU sleeping in a wait. An interrupts-off region therefore holds it
    /// off. A callback runs after its grace period in softirq context on the CPU that queued it, at that CPU's next
    /// point with interrupts on (or, when that CPU runs no task, on the next CPU that gets there; in direct mode at
    /// <see cref="Quiesce"/>), and is recorded as <see cref="EventKind.RcuCallback"/> on the CPU that ran it.
    /// </summary>
    public sealed class Rcu
    {
        private sealed class Waiter
        {
            public Action? Callback;
            public int Owner;
            public long Waiting;
            public volatile bool Done;
        }

        private readonly Machine _machine;
        private readonly List<Waiter> _pending = new();
        private readonly List<Waiter> _ready = new();
        private readonly List<Waiter> _running = new();
        private readonly Stack<Waiter> _spareWaiters = new();
        private readonly Lock _lock = new();
        private int _work;

        internal Rcu(Machine machine) => _machine = machine;

        /// <summary>Callbacks not yet run (waiting for their grace period or to be run after it).</summary>
        public int Pending
        {
            get
            {
                lock (_lock)
                {
                    var n = _ready.Count;
                    foreach (var w in _pending)
                    {
                        if (w.Callback != null) n++;
                    }
                    return n;
                }
            }
        }

        /// <summary>True when a grace period is in progress or a callback waits to run: one read, for the point fast path.</summary>
        internal bool HasWork => Volatile.Read(ref _work) != 0;

        private long AllCpus => _machine.Cpus.Length == 64 ? -1L : (1L << _machine.Cpus.Length) - 1;

        /// <summary><c>call_rcu</c>: run <paramref name="callback"/> after a grace period.</summary>
        public void CallRcu(Cpu cpu, Action callback)
        {
            if (cpu is null) throw new ArgumentNullException(nameof(cpu));
            if (callback is null) throw new ArgumentNullException(nameof(callback));
            _machine.Scheduling.Point(StepKind.Rcu);
            _machine.Scheduling.Touch(SharedObject.Rcu, true);
            lock (_lock)
            {
                // A waiter whose callback ran is reused: queueing a table batch allocates nothing in steady state.
                var waiter = _spareWaiters.Count > 0 ? _spareWaiters.Pop() : new Waiter();
                waiter.Callback = callback;
                waiter.Owner = cpu.Id;
                waiter.Waiting = AllCpus;
                _pending.Add(waiter);
                _work++;
            }
            _machine.Trace.Record(EventKind.RcuQueued, cpu.Id);
        }

        /// <summary>
        /// <c>synchronize_rcu</c>: <paramref name="cpu"/> sleeps until a full grace period passed. It may sleep, so calling
        /// it with interrupts off is refused (Linux: <c>might_sleep</c>).
        /// </summary>
        public void SynchronizeRcu(Cpu cpu)
        {
            if (cpu is null) throw new ArgumentNullException(nameof(cpu));
            if (!cpu.IrqsEnabled || cpu.RcuReadDepth > 0)
                throw new InvalidOperationException($"cpu{cpu.Id}: synchronize_rcu inside an RCU read side (interrupts off or rcu_read_lock) waits for itself");
            _machine.Scheduling.Point(StepKind.Rcu);
            _machine.Scheduling.Touch(SharedObject.Rcu, true);
            var waiter = new Waiter { Owner = cpu.Id, Waiting = AllCpus };
            lock (_lock)
            {
                _pending.Add(waiter);
                _work++;
            }
            NoteQuiescent(cpu); // the caller sleeps: that is its quiescent state
            _machine.Scheduling.WaitUntil(cpu, () => waiter.Done, "an RCU grace period", SharedObject.Rcu); // Done is set by NoteQuiescent, a write of RCU
        }

        /// <summary>
        /// <paramref name="cpu"/> passes a quiescent state if its interrupts are on; callbacks whose grace period ended
        /// run now, on this CPU.
        /// </summary>
        public void QuiescentState(Cpu cpu)
        {
            if (cpu is null) throw new ArgumentNullException(nameof(cpu));
            NoteQuiescent(cpu);
            RunReady(cpu, anyOwner: true);
        }

        /// <summary>Every CPU with interrupts on passes a quiescent state and ready callbacks run; true when nothing is left.</summary>
        public bool Quiesce()
        {
            for (var round = 0; round < 64; round++)
            {
                foreach (var cpu in _machine.Cpus) NoteQuiescent(cpu);
                lock (_lock)
                {
                    if (_ready.Count == 0) break;
                    _running.AddRange(_ready);
                    _ready.Clear();
                }
                // A callback may queue another; it lands in _pending, never in _running.
                for (var i = 0; i < _running.Count; i++) Invoke(_machine.Cpus[_running[i].Owner], _running[i]);
                _running.Clear();
            }
            return Pending == 0;
        }

        internal void OnPoint(Cpu cpu)
        {
            NoteQuiescent(cpu);
            NoteIdleQuiescent();
            RunReady(cpu, anyOwner: false);
        }

        /// <summary>Idle CPUs (no task) with interrupts on are in an extended quiescent state.</summary>
        internal void NoteIdleQuiescent()
        {
            foreach (var cpu in _machine.Cpus)
            {
                if (!cpu.IsRunningTask) NoteQuiescent(cpu);
            }
        }

        /// <summary>Clears <paramref name="cpu"/> from every grace period in progress, if it is in a quiescent state.</summary>
        internal void NoteQuiescent(Cpu cpu)
        {
            // Whether a CPU is in a quiescent state is its own state (interrupts, read side, idle); the note is RCU's.
            _machine.Scheduling.Touch(SharedObject.Cpu(cpu.Id), false);
            _machine.Scheduling.Touch(SharedObject.Rcu, true);
            if (!cpu.IrqsEnabled || cpu.RcuReadDepth > 0 || cpu.InSoftirq) return;
            var bit = 1L << cpu.Id;
            lock (_lock)
            {
                for (var i = 0; i < _pending.Count; i++)
                {
                    var w = _pending[i];
                    if ((w.Waiting & bit) == 0) continue;
                    w.Waiting &= ~bit;
                    if (w.Waiting != 0) continue;
                    _pending.RemoveAt(i--);
                    if (w.Callback == null)
                    {
                        w.Done = true;
                        _work--;
                    }
                    else
                    {
                        _ready.Add(w);
                    }
                }
            }
        }

        private void RunReady(Cpu cpu, bool anyOwner)
        {
            if (!cpu.IrqsEnabled || cpu.InSoftirq) return;
            _machine.Scheduling.Touch(SharedObject.Rcu, true);
            while (true)
            {
                Waiter? next = null;
                lock (_lock)
                {
                    for (var i = 0; i < _ready.Count; i++)
                    {
                        var w = _ready[i];
                        _machine.Scheduling.Touch(SharedObject.Cpu(w.Owner), false);
                        if (anyOwner || w.Owner == cpu.Id || !_machine.Cpus[w.Owner].IsRunningTask)
                        {
                            next = w;
                            _ready.RemoveAt(i);
                            break;
                        }
                    }
                }
                if (next == null) return;
                Invoke(cpu, next);
            }
        }

        private void Invoke(Cpu cpu, Waiter w)
        {
            cpu.InSoftirq = true;
            try
            {
                _machine.Trace.Record(EventKind.RcuCallback, cpu.Id, (ulong)w.Owner);
                w.Callback!();
            }
            finally
            {
                cpu.InSoftirq = false;
                lock (_lock)
                {
                    _work--;
                    w.Callback = null;
                    _spareWaiters.Push(w);
                }
            }
        }
    }
}
