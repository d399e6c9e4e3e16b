namespace Shootdown.Simulation
{
    /// <summary>One simulated CPU: interrupts flag, TLB, page-walk cache and the mm it runs.</summary>
    public sealed class Cpu
    {
        internal Cpu(Machine machine, int id)
        {
            Machine = machine;
            Id = id;
            Tlb = new Tlb(machine.Geometry.PageShift);
        }

        /// <summary>The machine this CPU belongs to.</summary>
        public Machine Machine { get; }

        /// <summary>The CPU number.</summary>
        public int Id { get; }

        /// <summary>The TLB.</summary>
        public Tlb Tlb { get; }

        /// <summary>The page-walk cache (empty unless the hardware walker caches upper levels).</summary>
        public WalkCache WalkCache { get; } = new();

        /// <summary>Interrupts are enabled; with them off this CPU takes no IPI.</summary>
        public bool IrqsEnabled { get; internal set; } = true;

        /// <summary>The mm this CPU runs, if any.</summary>
        public Mm? ActiveMm { get; private set; }

        /// <summary>Switches to <paramref name="mm"/> (<c>switch_mm</c>): marks this CPU in its cpumask.</summary>
        public void SwitchTo(Mm mm)
        {
            ActiveMm = mm;
            mm.MarkCpu(Id);
        }

        /// <summary><c>local_irq_disable</c>.</summary>
        public void DisableIrqs() => IrqsEnabled = false;

        /// <summary><c>local_irq_enable</c>.</summary>
        public void EnableIrqs() => IrqsEnabled = true;

        /// <inheritdoc/>
        public override string ToString() => $"cpu{Id}";
    }
}
