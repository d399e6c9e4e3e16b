namespace Shootdown.Simulation
{
    /// <summary>The shared-memory step a CPU is about to take at a scheduling point.</summary>
    public enum StepKind : byte
    {
        /// <summary>A load of a page-table entry (or of one 32-bit word of it).</summary>
        EntryLoad,
        /// <summary>A store to a page-table entry (or to one 32-bit word of it).</summary>
        EntryStore,
        /// <summary>A page allocation, reference-count change or free.</summary>
        RefCount,
        /// <summary>Posting an IPI to another CPU.</summary>
        IpiPost,
        /// <summary>Acknowledging an IPI after its handler ran.</summary>
        IpiAck,
        /// <summary><c>call_rcu</c>, a quiescent state, or waiting for a grace period.</summary>
        Rcu,
        /// <summary>A TLB lookup or a hardware walk that fills the TLB.</summary>
        TlbFill,
        /// <summary>A hardware walk through, and filling, the page-walk cache.</summary>
        WalkCacheFill,
        /// <summary><c>local_irq_enable</c>: pending interrupts are taken here.</summary>
        IrqEnable,
        /// <summary>A step of a scenario's own code (<see cref="Scheduling.Point"/> called directly).</summary>
        Other,
    }
}
