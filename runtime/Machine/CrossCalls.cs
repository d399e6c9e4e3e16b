using System;
using System.Collections.Generic;
using System.Numerics;
using System.Threading;

namespace Shootdown.Simulation
{
    /// <summary>One cross-CPU function call (<c>struct __call_single_data</c> shared by all its targets).</summary>
    internal sealed class IpiCall
    {
        public IpiCall() => Acknowledged = () => Volatile.Read(ref Remaining) == 0;

        public int Sender;
        public Action<Cpu> Handler = null!;
        public int Remaining;
        public volatile bool Cancelled;

        /// <summary>What a waiting sender waits for; made once per object, so waiting allocates nothing.</summary>
        public Func<bool> Acknowledged { get; }
    }

    /// <summary>
    /// IPIs: <c>smp_call_function_many</c>. The handler runs on each target when that CPU takes the interrupt: at its
    /// next scheduling point with interrupts on, or at once when the target runs no task (an idle CPU with interrupts
    /// on). With <c>wait</c> the sender blocks until every target acknowledged, so a target with interrupts off holds it.
    /// </summary>
    public sealed class CrossCalls
    {
        private readonly Machine _machine;
        private readonly SparePool<IpiCall> _spare = new();

        internal CrossCalls(Machine machine) => _machine = machine;

        /// <summary>
        /// Runs <paramref name="handler"/> on every CPU in <paramref name="mask"/> except <paramref name="sender"/>
        /// (<c>smp_call_function_many</c>); with <paramref name="wait"/>, returns only after all of them ran it.
        /// </summary>
        public void CallFunctionMany(Cpu sender, long mask, Action<Cpu> handler, bool wait)
        {
            if (sender is null) throw new ArgumentNullException(nameof(sender));
            if (handler is null) throw new ArgumentNullException(nameof(handler));
            if (sender.Machine != _machine) throw new ArgumentException($"{sender} belongs to another machine", nameof(sender));
            var cpus = _machine.Cpus.Length;
            var valid = cpus == 64 ? -1L : (1L << cpus) - 1;
            if ((mask & ~valid) != 0) throw new ArgumentOutOfRangeException(nameof(mask), $"mask {mask:x} names CPUs this {cpus}-CPU machine lacks");
            mask &= ~(1L << sender.Id);
            if (mask == 0) return;
            // A waited-for call is reused once every target acknowledged (its last touch); one not waited for is left alone.
            var call = (wait ? _spare.Take(0) : null) ?? new IpiCall();
            call.Sender = sender.Id;
            call.Handler = handler;
            call.Remaining = BitOperations.PopCount((ulong)mask);
            call.Cancelled = false;
            for (var m = mask; m != 0; m &= m - 1) Post(sender, _machine.Cpus[BitOperations.TrailingZeroCount(m)], call);
            if (!wait) return;
            try
            {
                // Only Handle changes the count, after declaring a write of the sender's acknowledgements.
                _machine.Scheduling.WaitUntil(sender, call.Acknowledged, "IPI acknowledgements", SharedObject.IpiAck(sender.Id));
            }
            catch (SimulationDeadlockException)
            {
                call.Cancelled = true; // nobody will run it now: leave no stale request behind
                throw;
            }
            call.Handler = null!;
            _spare.Give(call, 0);
        }

        /// <summary><c>smp_call_function</c>: every other CPU.</summary>
        public void CallFunction(Cpu sender, Action<Cpu> handler, bool wait)
        {
            var cpus = _machine.Cpus.Length;
            CallFunctionMany(sender, cpus == 64 ? -1L : (1L << cpus) - 1, handler, wait);
        }

        private void Post(Cpu sender, Cpu target, IpiCall call)
        {
            _machine.Scheduling.Point(StepKind.IpiPost);
            _machine.Trace.Record(EventKind.IpiSent, sender.Id, (ulong)target.Id);
            _machine.Scheduling.Touch(SharedObject.Cpu(target.Id), true); // its mailbox, read with whether it is idle
            bool now;
            lock (target.Mailbox)
            {
                now = target.Task == null && target.IrqsEnabled;
                if (!now)
                {
                    target.Mailbox.Enqueue(call);
                    Interlocked.Increment(ref target.PendingIpis);
                }
            }
            if (now) Handle(target, call);
        }

        /// <summary>Takes every pending IPI of <paramref name="cpu"/> (interrupt entry).</summary>
        internal void Take(Cpu cpu)
        {
            _machine.Scheduling.Touch(SharedObject.Cpu(cpu.Id), true);
            while (cpu.IrqsEnabled)
            {
                IpiCall? call;
                lock (cpu.Mailbox)
                {
                    if (!cpu.Mailbox.TryDequeue(out call)) return;
                    Interlocked.Decrement(ref cpu.PendingIpis);
                }
                if (!call.Cancelled) Handle(cpu, call);
            }
        }

        private void Handle(Cpu cpu, IpiCall call)
        {
            // Handlers run with interrupts off, as in Linux, so they do not nest.
            cpu.IrqsEnabled = false;
            try
            {
                _machine.Trace.Record(EventKind.IpiTaken, cpu.Id, (ulong)call.Sender);
                call.Handler(cpu);
            }
            finally
            {
                cpu.IrqsEnabled = true;
            }
            _machine.Scheduling.Point(StepKind.IpiAck);
            _machine.Scheduling.Touch(SharedObject.IpiAck(call.Sender), true);
            Interlocked.Decrement(ref call.Remaining);
        }

        internal void BindTask(CpuTask task)
        {
            var cpu = task.Cpu;
            _machine.Scheduling.Touch(SharedObject.Cpu(cpu.Id), true);
            lock (cpu.Mailbox)
            {
                if (cpu.Task != null) throw new InvalidOperationException($"{cpu} already runs a task");
                cpu.Task = task;
            }
        }

        /// <summary>The task is over: the CPU goes idle and takes what was left for it.</summary>
        internal void UnbindTask(CpuTask task)
        {
            var cpu = task.Cpu;
            List<IpiCall>? left = null;
            _machine.Scheduling.Touch(SharedObject.Cpu(cpu.Id), true);
            lock (cpu.Mailbox)
            {
                if (cpu.Task != task) return;
                cpu.Task = null;
                if (!cpu.IrqsEnabled) return;
                while (cpu.Mailbox.TryDequeue(out var call))
                {
                    Interlocked.Decrement(ref cpu.PendingIpis);
                    (left ??= new()).Add(call);
                }
            }
            if (left == null) return;
            foreach (var call in left)
            {
                if (!call.Cancelled) Handle(cpu, call);
            }
        }
    }
}
