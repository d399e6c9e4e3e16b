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
        public void The_mmap_lock_lets_readers_share_and_a_writer_exclude_in_every_interleaving()
        {
            var bothReading = 0;
            var runs = 0;
            foreach (var r in ScheduleExplorer.PreemptionBounded(() =>
            {
                var m = new Machine(Machines.IpiX86, cpus: 3, frames: 16);
                var l = new SimulatedReaderWriterLock();
                var readers = 0;
                var writers = 0;
                void Read(Cpu cpu)
                {
                    l.EnterReadLock(cpu);
                    readers++;
                    m.Scheduling.Point();
                    Assert.Equal(0, writers);
                    if (readers == 2) bothReading++;
                    readers--;
                    l.ExitReadLock(cpu);
                }
                void Write(Cpu cpu)
                {
                    l.EnterWriteLock(cpu);
                    writers++;
                    m.Scheduling.Point();
                    Assert.Equal((1, 0), (writers, readers));
                    writers--;
                    l.ExitWriteLock(cpu);
                }
                return (m, new Scenario().On(0, Read).On(1, Read).On(2, Write));
            }, maxPreemptions: 3, maxRuns: 5000))
            {
                runs++;
                Assert.True(r.Clean, r + string.Join("; ", r.Errors.Select(e => e.Message)));
            }
            Assert.InRange(runs, 10, 4999);
            Assert.True(bothReading > 0, "two readers never held the lock together");
        }

        [Fact]
        public void A_downgraded_writer_keeps_writers_out_and_lets_readers_in()
        {
            var m = new Machine(Machines.IpiX86, cpus: 3, frames: 16);
            var l = new SimulatedReaderWriterLock();
            Assert.Throws<InvalidOperationException>(() => l.DowngradeWriteLock(m.Cpu(0))); // not the writer
            l.EnterWriteLock(m.Cpu(0));
            Assert.Throws<InvalidOperationException>(() => l.DowngradeWriteLock(m.Cpu(1)));
            l.DowngradeWriteLock(m.Cpu(0));
            Assert.Equal(-1, l.Writer);
            Assert.True(l.IsHeldBy(m.Cpu(0)));
            Assert.Throws<InvalidOperationException>(() => l.ExitWriteLock(m.Cpu(0))); // it is a read lock now
            Assert.Throws<InvalidOperationException>(() => l.DowngradeWriteLock(m.Cpu(0)));
            l.EnterReadLock(m.Cpu(1));
            Assert.Equal(3L, l.Readers);
            Assert.Throws<SimulationDeadlockException>(() => l.EnterWriteLock(m.Cpu(2)));
            l.ExitReadLock(m.Cpu(1));
            l.ExitReadLock(m.Cpu(0));
            l.EnterWriteLock(m.Cpu(2));
            Assert.Equal(2, l.Writer);
        }

        [Fact]
        public void Mmap_lock_misuse_throws_and_direct_mode_contention_is_a_deadlock()
        {
            var m = new Machine(Machines.IpiX86, cpus: 3, frames: 16);
            var l = new SimulatedReaderWriterLock();
            Assert.Throws<InvalidOperationException>(() => l.ExitReadLock(m.Cpu(0)));
            Assert.Throws<InvalidOperationException>(() => l.ExitWriteLock(m.Cpu(0)));
            l.EnterReadLock(m.Cpu(0));
            Assert.Throws<InvalidOperationException>(() => l.EnterReadLock(m.Cpu(0))); // no nesting
            l.EnterReadLock(m.Cpu(1));
            Assert.Equal(3L, l.Readers);
            Assert.Throws<SimulationDeadlockException>(() => l.EnterWriteLock(m.Cpu(2)));
            l.ExitReadLock(m.Cpu(0));
            l.ExitReadLock(m.Cpu(1));
            l.EnterReadLock(m.Cpu(0)); // the refused writer left no waiting mark that would keep readers out
            l.ExitReadLock(m.Cpu(0));
            l.EnterWriteLock(m.Cpu(1));
            Assert.Equal(1, l.Writer);
            Assert.Throws<SimulationDeadlockException>(() => l.EnterReadLock(m.Cpu(0)));
            l.ExitWriteLock(m.Cpu(1));
            l.EnterReadLock(m.Cpu(0));
            Assert.True(l.IsHeldBy(m.Cpu(0)));
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
