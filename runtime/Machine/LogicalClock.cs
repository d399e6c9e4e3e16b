using System.Threading;

namespace Shootdown.Simulation
{
    /// <summary>
    /// One machine's logical time: cached translations and syscall entries are stamped with it, so
    /// <see cref="ReturnGuarantee"/> can say "cached before the call". In a controlled run one CPU moves at a time, so a replayed schedule gives the same stamps.
    /// </summary>
    internal sealed class LogicalClock
    {
        private long _now;

        /// <summary>The next instant.</summary>
        public long Tick() => Interlocked.Increment(ref _now);

        /// <summary>The last instant handed out.</summary>
        public long Now => Volatile.Read(ref _now);
    }
}
