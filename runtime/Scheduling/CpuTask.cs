using System;
using System.Threading;

namespace Shootdown.Simulation
{
    /// <summary>The work one CPU does in a run, on its own thread.</summary>
    internal sealed class CpuTask
    {
        public CpuTask(Cpu cpu, Action<Cpu> action, ControlledRun? run)
        {
            Cpu = cpu;
            Action = action;
            Run = run;
        }

        public Cpu Cpu { get; }
        public Action<Cpu> Action { get; }
        public ControlledRun? Run { get; }
        public Thread? Thread;
        public readonly SemaphoreSlim Gate = new(0);
        /// <summary>Set when the task's body has left its thread (controlled runs, whose threads are pooled).</summary>
        public readonly ManualResetEventSlim Exited = new(false);
        /// <summary>Its body was given a thread (at its first turn; see <see cref="ControlledRun"/>).</summary>
        public bool Started;
        public volatile bool Done;
        public volatile bool Aborting;
        public Func<bool>? Blocked;
        public Exception? Error;
        public int Quiet;

        /// <summary>The scheduler may pick this task: not done, and not waiting for something still false.</summary>
        public bool Runnable
        {
            get
            {
                if (Done) return false;
                var blocked = Blocked;
                return blocked == null || blocked() || (Cpu.IrqsEnabled && Cpu.PendingIpis != 0);
            }
        }
    }
}
