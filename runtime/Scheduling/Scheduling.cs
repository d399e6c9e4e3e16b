using System;
using System.Threading;

namespace Shootdown.Simulation
{
    /// <summary>How the machine's CPUs take their steps.</summary>
    public enum SchedulingMode
    {
        /// <summary>No tasks: the caller's thread acts as whichever CPU it names. Points cost one branch.</summary>
        Direct,
        /// <summary>Each CPU's task runs on its own real thread, all at once.</summary>
        FreeRunning,
        /// <summary>Each CPU's task runs on its own thread, but only the one the scheduler picks moves between points.</summary>
        Controlled,
    }

    /// <summary>
    /// Scheduling points and blocking waits. Every shared-memory step of the machine calls <see cref="Point"/> first; in
    /// a controlled run that is where another CPU may be chosen to move, and in every threaded run it is where a CPU
    /// with interrupts on takes pending IPIs and passes an RCU quiescent state.
    /// </summary>
    public sealed class Scheduling
    {
        [ThreadStatic] private static CpuTask? t_task;
        private readonly Machine _machine;
        private volatile int _mode;

        internal Scheduling(Machine machine) => _machine = machine;

        /// <summary>The current mode.</summary>
        public SchedulingMode Mode => (SchedulingMode)_mode;

        /// <summary>How long a free-running wait may spin before it is declared a deadlock.</summary>
        public TimeSpan FreeRunningWaitLimit { get; set; } = TimeSpan.FromSeconds(10);

        /// <summary>The CPU whose task runs on this thread, or null outside a run.</summary>
        public Cpu? Current
        {
            get
            {
                var t = t_task;
                return t != null && t.Cpu.Machine == _machine ? t.Cpu : null;
            }
        }

        internal CpuTask? CurrentTask
        {
            get
            {
                var t = t_task;
                return t != null && t.Cpu.Machine == _machine ? t : null;
            }
        }

        internal static void Bind(CpuTask? task) => t_task = task;

        /// <summary>Pooled threads handed a task body by this machine's controlled runs (one per task that had a turn).</summary>
        internal int ThreadsTaken;

        /// <summary>The step log of the controlled run in progress, when it records accesses; else null.</summary>
        internal StepLog? Log;

        /// <summary>
        /// Notes that the current step reads (or writes) <paramref name="key"/> (a <see cref="SharedObject"/>): the
        /// explorer's dependency relation. One branch when no run records.
        /// </summary>
        internal void Touch(long key, bool write)
        {
            var log = Log;
            if (log != null) log.Touch(key, write);
        }

        /// <summary><see cref="Touch"/> on the machine whose task runs on this thread, for objects that know no machine (an mm).</summary>
        internal static void TouchCurrent(long key, bool write)
        {
            var t = t_task;
            if (t != null) t.Cpu.Machine.Scheduling.Touch(key, write);
        }

        /// <summary><see cref="Touch"/> for the frame and the entry word of a page-table access.</summary>
        internal void TouchEntry(int pfn, int word, bool write)
        {
            var log = Log;
            if (log == null) return;
            log.Touch(SharedObject.Frame(pfn), false);
            log.Touch(SharedObject.Entry(pfn, word), write);
        }

        internal void Enter(SchedulingMode mode)
        {
            if (Interlocked.CompareExchange(ref _mode, (int)mode, (int)SchedulingMode.Direct) != (int)SchedulingMode.Direct)
                throw new InvalidOperationException($"the machine is already in a {Mode} run");
        }

        internal void Leave() => _mode = (int)SchedulingMode.Direct;

        /// <summary>
        /// A scheduling point before a shared-memory step. Direct mode: nothing (one predictable branch). Threaded:
        /// pending interrupts are taken; controlled: the scheduler may first let other CPUs move.
        /// </summary>
        public void Point(StepKind kind = StepKind.Other)
        {
            if (_mode != 0) Slow(kind);
        }

        private void Slow(StepKind kind)
        {
            var t = CurrentTask;
            if (t == null || t.Quiet > 0) return;
            if (t.Run != null)
            {
                if (t.Aborting) return; // unwinding after the run ended: no baton to pass
                t.Run.Yield(t, kind);
                if (Log != null && t.Cpu.IrqsEnabled) Touch(SharedObject.Cpu(t.Cpu.Id), false); // are IPIs pending?
                // Interrupt entry is a step of its own: the handler and its acknowledgement run, then the scheduler
                // may let other CPUs move before this CPU's own step. Taken in the same step as the load that follows,
                // the window "the initiator saw the ack and went on, the interrupted walker has not read yet" (a
                // fast GUP walking with interrupts on, against a table freed after the IPI) could never open.
                while (t.Cpu.IrqsEnabled && t.Cpu.PendingIpis != 0)
                {
                    _machine.CrossCalls.Take(t.Cpu);
                    t.Run.Yield(t, kind);
                }
            }
            Deliver(t.Cpu);
        }

        /// <summary>Runs the work of the next steps on this thread without scheduling points (one atomic hardware step).</summary>
        internal void BeginAtomic()
        {
            var t = CurrentTask;
            if (t != null) t.Quiet++;
        }

        internal void EndAtomic()
        {
            var t = CurrentTask;
            if (t != null) t.Quiet--;
        }

        /// <summary>Interrupt entry at a point: IPIs, then RCU (a quiescent state and callbacks whose grace period ended).</summary>
        internal void Deliver(Cpu cpu)
        {
            if (!cpu.IrqsEnabled) return;
            if (Log != null)
            {
                Touch(SharedObject.Cpu(cpu.Id), false);
                Touch(SharedObject.Rcu, false);
            }
            if (cpu.PendingIpis != 0) _machine.CrossCalls.Take(cpu);
            if (_machine.Rcu.HasWork) _machine.Rcu.OnPoint(cpu);
        }

        /// <summary>
        /// Blocks <paramref name="cpu"/> until <paramref name="condition"/> holds (an IPI acknowledged, a grace period
        /// over, a lock free). While waiting with interrupts on the CPU takes IPIs. A controlled run never picks a CPU whose
        /// condition is false, so no schedule spins; a wait nothing can satisfy ends the run as a deadlock. In direct
        /// mode, or when the waiter is not a task of the run, the condition must already hold after idle CPUs did their
        /// part, or a <see cref="SimulationDeadlockException"/> says what was awaited.
        /// </summary>
        public void WaitUntil(Cpu cpu, Func<bool> condition, string what)
        {
            if (cpu is null) throw new ArgumentNullException(nameof(cpu));
            if (condition is null) throw new ArgumentNullException(nameof(condition));
            var t = CurrentTask;
            if (t != null && t.Cpu == cpu)
            {
                if (t.Run != null)
                {
                    WaitControlled(t, condition);
                    return;
                }
                Spin(cpu, condition, what);
                return;
            }
            // The caller's thread acts as an idle CPU: let it and the other idle CPUs do their part once. Grace periods
            // may end here, but callbacks wait for a point of their CPU (or Rcu.Quiesce), as they would in softirq.
            if (cpu.IrqsEnabled && cpu.PendingIpis != 0) _machine.CrossCalls.Take(cpu);
            if (_machine.Rcu.HasWork) _machine.Rcu.NoteIdleQuiescent();
            if (condition()) return;
            if (Mode == SchedulingMode.Direct)
                throw new SimulationDeadlockException($"cpu{cpu.Id} waits for {what}, and no running CPU can bring it about");
            Spin(cpu, condition, what);
        }

        private static void WaitControlled(CpuTask t, Func<bool> condition)
        {
            while (true)
            {
                if (t.Aborting) throw new RunAbortedException();
                // What a wait re-checks is not described: it depends on everything, so any write is ordered with it.
                t.Cpu.Machine.Scheduling.Touch(SharedObject.Everything, false);
                t.Cpu.Machine.Scheduling.Deliver(t.Cpu);
                if (condition()) return;
                t.Blocked = condition;
                try
                {
                    t.Run!.Yield(t, StepKind.Other);
                }
                finally
                {
                    t.Blocked = null;
                }
            }
        }

        private void Spin(Cpu cpu, Func<bool> condition, string what)
        {
            var deadline = DateTime.UtcNow + FreeRunningWaitLimit;
            var spin = new SpinWait();
            while (true)
            {
                Deliver(cpu);
                if (_machine.Rcu.HasWork) _machine.Rcu.NoteIdleQuiescent();
                if (condition()) return;
                if (DateTime.UtcNow > deadline)
                    throw new SimulationDeadlockException($"cpu{cpu.Id} waited {FreeRunningWaitLimit.TotalSeconds:0.#} s for {what}");
                spin.SpinOnce();
            }
        }
    }
}
