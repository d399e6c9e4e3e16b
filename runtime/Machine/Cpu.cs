using System;
using System.Collections.Generic;

namespace Shootdown.Simulation
{
    /// <summary>
    /// One simulated CPU: interrupts flag, TLB, page-walk cache, the mm it runs and the mm it keeps loaded lazily while
    /// a kernel thread runs (<c>cpu_tlbstate.is_lazy</c>), and its IPI mailbox.
    /// </summary>
    public sealed class Cpu
    {
        private volatile bool _irqsEnabled = true;
        private volatile CpuTask? _task;
        internal readonly Queue<IpiCall> Mailbox = new();
        internal int PendingIpis;
        internal bool InSoftirq;
        internal int WalkSequence; // odd while a hardware walk is in flight

        internal Cpu(Machine machine, int id)
        {
            Machine = machine;
            Id = id;
            Tlb = new Tlb(machine.Geometry.PageShift);
            Tlb.Attach(machine.Scheduling, id, machine.Clock);
            WalkCache.Attach(machine.Scheduling, id);
            _key = SharedObject.Cpu(id);
        }

        private readonly long _key;

        // What other CPUs can see of this one changes: the interrupts flag, the loaded mm, the RCU read-side depth.
        private void Changed() => Machine.Scheduling.Touch(_key, true);

        /// <summary>The machine this CPU belongs to.</summary>
        public Machine Machine { get; }

        /// <summary>The CPU number.</summary>
        public int Id { get; }

        /// <summary>The TLB.</summary>
        public Tlb Tlb { get; }

        /// <summary>The page-walk cache (empty unless the hardware walker caches upper levels).</summary>
        public WalkCache WalkCache { get; } = new();

        /// <summary>Interrupts are enabled; with them off this CPU takes no IPI and passes no RCU quiescent state.</summary>
        public bool IrqsEnabled
        {
            get => _irqsEnabled;
            internal set
            {
                Changed();
                _irqsEnabled = value;
            }
        }

        /// <summary>Nesting depth of <see cref="RcuReadLock"/>: inside, this CPU passes no quiescent state.</summary>
        public int RcuReadDepth { get; private set; }

        /// <summary>IPIs posted to this CPU and not yet taken.</summary>
        public int IpisPending => System.Threading.Volatile.Read(ref PendingIpis);

        /// <summary>True while a task of a run executes on this CPU; an idle CPU takes IPIs at once.</summary>
        public bool IsRunningTask => _task != null;

        internal CpuTask? Task
        {
            get => _task;
            set => _task = value;
        }

        /// <summary>The mm this CPU runs, if any.</summary>
        public Mm? ActiveMm { get; private set; }

        /// <summary>
        /// The mm still loaded while a kernel thread runs (lazy TLB): the hardware walker may still walk its tables, so
        /// freeing them must reach this CPU.
        /// </summary>
        public Mm? LazyMm { get; private set; }

        /// <summary>The mm whose tables the hardware walker uses now: the active one, else the lazy one.</summary>
        public Mm? LoadedMm => ActiveMm ?? LazyMm;

        /// <summary>A flush of <see cref="LazyMm"/> was skipped while lazy; it is done when the mm is switched back to.</summary>
        internal bool LazyFlushOwed { get; set; }

        /// <summary>Switches to <paramref name="mm"/> (<c>switch_mm</c>): marks this CPU in its cpumask.</summary>
        public void SwitchTo(Mm mm)
        {
            if (mm is null) throw new ArgumentNullException(nameof(mm));
            Changed();
            if (LazyMm == mm && LazyFlushOwed) Tlb.FlushMm(mm.Id); // x86 switch_mm_irqs_off: tlb_gen moved on while lazy
            LazyFlushOwed = false;
            LazyMm = null;
            ActiveMm = mm;
            mm.MarkCpu(Id);
        }

        /// <summary>
        /// A kernel thread runs (<c>enter_lazy_tlb</c>): the current mm stays loaded lazily, its translations stay cached.
        /// </summary>
        public void EnterLazyTlb()
        {
            if (ActiveMm == null) return;
            Changed();
            LazyMm = ActiveMm;
            ActiveMm = null;
        }

        /// <summary><c>local_irq_disable</c>.</summary>
        public void DisableIrqs() => IrqsEnabled = false;

        /// <summary><c>local_irq_enable</c>: pending IPIs are taken at once.</summary>
        public void EnableIrqs()
        {
            IrqsEnabled = true;
            if (Machine.Scheduling.Mode != SchedulingMode.Direct) Machine.Scheduling.Point(StepKind.IrqEnable);
            else if (PendingIpis != 0) Machine.CrossCalls.Take(this);
        }

        /// <summary><c>rcu_read_lock</c> (sched flavour: <c>preempt_disable</c>).</summary>
        public void RcuReadLock()
        {
            Changed();
            RcuReadDepth++;
        }

        /// <summary><c>rcu_read_unlock</c>.</summary>
        public void RcuReadUnlock()
        {
            if (RcuReadDepth == 0) throw new InvalidOperationException($"cpu{Id}: rcu_read_unlock without rcu_read_lock");
            Changed();
            RcuReadDepth--;
        }

        /// <inheritdoc/>
        public override string ToString() => $"cpu{Id}";
    }
}
