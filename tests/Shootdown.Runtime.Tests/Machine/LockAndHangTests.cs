using System;
using System.Linq;
using Shootdown.Simulation;

namespace Shootdown.Runtime.Tests.MachineTests
{
    public class LockAndHangTests
    {
        [Fact]
        public void A_simulated_lock_serializes_critical_sections_in_every_interleaving()
        {
            var runs = 0;
            foreach (var r in ScheduleExplorer.Exhaustive(() =>
            {
                var m = new Machine(Machines.IpiX86, cpus: 2, frames: 16);
                var l = new SimulatedLock();
                var inside = 0;
                void Body(Cpu cpu)
                {
                    l.Enter(cpu);
                    inside++;
                    m.Scheduling.Point();
                    Assert.Equal(1, inside);
                    inside--;
                    l.Exit(cpu);
                }
                return (m, new Scenario().On(0, Body).On(1, Body));
            }, maxRuns: 200))
            {
                runs++;
                Assert.True(r.Clean, r + string.Join("; ", r.Errors.Select(e => e.Message)));
            }
            Assert.True(runs > 2);
        }

        [Fact]
        public void Lock_misuse_throws()
        {
            var m = new Machine(Machines.IpiX86, cpus: 2, frames: 16);
            var l = new SimulatedLock();
            Assert.Throws<InvalidOperationException>(() => l.Exit(m.Cpu(0)));
            l.Enter(m.Cpu(0));
            Assert.Throws<InvalidOperationException>(() => l.Enter(m.Cpu(0)));
            Assert.Throws<SimulationDeadlockException>(() => l.Enter(m.Cpu(1)));
            l.Exit(m.Cpu(0));
            l.Enter(m.Cpu(1));
            Assert.Equal(1, l.Owner);
        }

        [Fact]
        public void A_task_blocked_in_a_real_lock_ends_the_run_as_hung_instead_of_hanging()
        {
            var m = new Machine(Machines.IpiX86, cpus: 2, frames: 16);
            var gate = new object();
            var r = m.Run(new Scenario()
                .On(0, cpu => { lock (gate) { while (true) m.Scheduling.Point(); } })
                .On(1, cpu => { m.Scheduling.Point(); lock (gate) { } }),
                new RunOptions(Schedule.Parse("0.1"), MaxSteps: 1_000_000) { HangTimeout = TimeSpan.FromSeconds(1) });
            Assert.Equal(RunOutcome.Hung, r.Outcome);
            Assert.Contains("outside the scheduler", r.Message);
        }
    }
}
