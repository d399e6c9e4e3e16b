using System;

namespace Shootdown.Simulation
{
    /// <summary>
    /// A CPU waits for something no other CPU can ever bring about: an IPI to a CPU whose interrupts stay off, a grace
    /// period held off forever, a lock nobody releases. Thrown instead of hanging.
    /// </summary>
    public sealed class SimulationDeadlockException : InvalidOperationException
    {
        /// <summary>A deadlock described by <paramref name="message"/>.</summary>
        public SimulationDeadlockException(string message) : base(message)
        {
        }
    }

    /// <summary>Unwinds a task of a controlled run that the scheduler ended (step bound, deadlock, bad schedule).</summary>
    internal sealed class RunAbortedException : Exception
    {
        public RunAbortedException() : base("the run was ended by the scheduler")
        {
        }
    }
}
