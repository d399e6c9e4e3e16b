using System;
using System.Collections.Generic;

namespace Shootdown.Simulation
{
    /// <summary>
    /// Sched-RCU: a callback queued by <see cref="CallRcu"/> runs only after every CPU has passed a quiescent state
    /// (a point with interrupts enabled) since it was queued, so an interrupts-off region holds it off.
    /// </summary>
    public sealed class Rcu
    {
        private readonly Machine _machine;
        private readonly List<(Action Callback, long Waiting)> _pending = new();
        private readonly object _lock = new();

        internal Rcu(Machine machine) => _machine = machine;

        /// <summary>Callbacks not yet run.</summary>
        public int Pending
        {
            get { lock (_lock) return _pending.Count; }
        }

        /// <summary><c>call_rcu</c>: run <paramref name="callback"/> after a grace period.</summary>
        public void CallRcu(Cpu cpu, Action callback)
        {
            var all = (1L << _machine.Cpus.Length) - 1;
            if (_machine.Cpus.Length == 64) all = -1;
            lock (_lock) _pending.Add((callback, all));
            _machine.Trace.Record(EventKind.RcuQueued, cpu.Id);
        }

        /// <summary>
        /// <paramref name="cpu"/> passes a quiescent state if its interrupts are on; callbacks whose grace period
        /// ended run now, on this CPU.
        /// </summary>
        public void QuiescentState(Cpu cpu)
        {
            if (!cpu.IrqsEnabled) return;
            List<Action>? ready = null;
            lock (_lock)
            {
                for (var i = 0; i < _pending.Count; i++)
                {
                    var (callback, waiting) = _pending[i];
                    waiting &= ~(1L << cpu.Id);
                    if (waiting == 0)
                    {
                        (ready ??= new()).Add(callback);
                        _pending.RemoveAt(i--);
                    }
                    else
                    {
                        _pending[i] = (callback, waiting);
                    }
                }
            }
            if (ready == null) return;
            foreach (var callback in ready)
            {
                _machine.Trace.Record(EventKind.RcuCallback, cpu.Id);
                callback();
            }
        }

        /// <summary>Every CPU with interrupts on passes a quiescent state; true when nothing is left pending.</summary>
        public bool Quiesce()
        {
            foreach (var cpu in _machine.Cpus) QuiescentState(cpu);
            return Pending == 0;
        }
    }
}
