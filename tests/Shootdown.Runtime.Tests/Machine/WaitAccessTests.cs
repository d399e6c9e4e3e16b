using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Shootdown.Simulation;

namespace Shootdown.Runtime.Tests.MachineTests
{
    /// <summary>
    /// What a wait's re-check records for partial-order reduction (docs/explorer.md, "Unbounded mode"): a wait that names
    /// the object its condition reads records a read of that object, and the public form, which names nothing, a read of
    /// everything. Too narrow a record lets DPOR skip the order of the waiter and a waker; too wide a record (everything)
    /// orders the re-check with every write and costs executions.
    /// </summary>
    public sealed class WaitAccessTests
    {
        // The step of cpu0 that starts the run is the re-check alone: its condition is false, so it blocks and the step
        // ends. Besides the wait's own record it holds interrupt entry's look at the CPU's mailbox and at RCU
        // (Scheduling.Deliver), read at every point with interrupts on.
        private static (long Key, bool Write)[] FirstStepOfAWaiter(Action<Machine, Cpu, Func<bool>> wait)
        {
            var m = new Machine(Machines.IpiX86, cpus: 2, frames: 64);
            var flag = false;
            var scenario = new Scenario()
                .On(0, cpu => wait(m, cpu, () => Volatile.Read(ref flag)))
                .On(1, cpu =>
                {
                    m.Scheduling.Point();
                    Volatile.Write(ref flag, true);
                    m.Scheduling.Point();
                });
            var log = new StepLog();
            var run = m.Run(scenario, new RunOptions(Schedule.Parse("0")) { Steps = log });
            Assert.Equal(RunOutcome.Completed, run.Outcome);
            Assert.Equal(0, log[0].Cpu);
            Assert.True(log.Count >= 3, $"only {log.Count} steps: cpu0 did not block");
            return Accesses(log, 0);
        }

        private static (long Key, bool Write)[] Accesses(StepLog log, int step)
        {
            var keys = log.Keys(step);
            var writes = log.Writes(step);
            var all = new (long, bool)[keys.Length];
            for (var i = 0; i < keys.Length; i++) all[i] = (keys[i], writes[i]);
            return all;
        }

        private static string Show(IEnumerable<(long Key, bool Write)> accesses) =>
            string.Join(", ", accesses.Select(a => $"{SharedObject.Describe(a.Key)} {(a.Write ? "w" : "r")}"));

        [Fact]
        public void A_wait_that_names_an_object_records_a_read_of_that_object_and_nothing_wider()
        {
            var key = SharedObject.Lock(7);
            var step = FirstStepOfAWaiter((m, cpu, condition) => m.Scheduling.WaitUntil(cpu, condition, "a flag", key));
            var expected = new[] { (key, false), (SharedObject.Cpu(0), false), (SharedObject.Rcu, false) };
            Assert.True(expected.OrderBy(a => a.Item1).SequenceEqual(step.OrderBy(a => a.Key)), Show(step));
        }

        [Fact]
        public void The_public_wait_which_names_nothing_records_a_read_of_everything()
        {
            var step = FirstStepOfAWaiter((m, cpu, condition) => m.Scheduling.WaitUntil(cpu, condition, "a flag"));
            var expected = new[] { (SharedObject.Everything, false), (SharedObject.Cpu(0), false), (SharedObject.Rcu, false) };
            Assert.True(expected.OrderBy(a => a.Item1).SequenceEqual(step.OrderBy(a => a.Key)), Show(step));
        }

        // The machine's own waits, each blocked once: the step in which the waiter found its condition false and
        // blocked must hold the object the condition reads, and no wildcard, which would order it with every write.
        public static IEnumerable<object[]> MachineWaits() => new[]
        {
            new object[] { "spin_lock (page_table_lock)" },
            new object[] { "mmap_read_lock against a writer" },
            new object[] { "mmap_write_lock against a reader" },
            new object[] { "smp_call_function waiting for the acknowledgement" },
            new object[] { "synchronize_rcu" },
        };

        [Theory]
        [MemberData(nameof(MachineWaits))]
        public void The_machine_waits_record_the_object_their_condition_reads(string wait)
        {
            var m = new Machine(Machines.IpiX86, cpus: 2, frames: 64);
            var mm = m.CreateMm()!;
            // cpu1 moves first and takes the object (decisions 0 and 1), then cpu0, the waiter, is picked while cpu1 holds it.
            Action<Cpu> holder, waiter;
            long reads;
            switch (wait)
            {
                case "spin_lock (page_table_lock)":
                    reads = SharedObject.Lock(mm.Id);
                    holder = cpu => { mm.PageTableLock.Enter(cpu); Hold(m); mm.PageTableLock.Exit(cpu); };
                    waiter = cpu => { mm.PageTableLock.Enter(cpu); mm.PageTableLock.Exit(cpu); };
                    break;
                case "mmap_read_lock against a writer":
                    reads = SharedObject.Mm(mm.Id);
                    holder = cpu => { mm.MmapLock.EnterWriteLock(cpu); Hold(m); mm.MmapLock.ExitWriteLock(cpu); };
                    waiter = cpu => { mm.MmapLock.EnterReadLock(cpu); mm.MmapLock.ExitReadLock(cpu); };
                    break;
                case "mmap_write_lock against a reader":
                    reads = SharedObject.Mm(mm.Id);
                    holder = cpu => { mm.MmapLock.EnterReadLock(cpu); Hold(m); mm.MmapLock.ExitReadLock(cpu); };
                    waiter = cpu => { mm.MmapLock.EnterWriteLock(cpu); mm.MmapLock.ExitWriteLock(cpu); };
                    break;
                case "smp_call_function waiting for the acknowledgement":
                    // The target runs with interrupts off, so the sender waits until it turns them back on.
                    reads = SharedObject.IpiAck(0);
                    holder = cpu => { cpu.DisableIrqs(); m.Scheduling.Point(); Hold(m); cpu.EnableIrqs(); m.Scheduling.Point(); };
                    waiter = cpu => m.CrossCalls.CallFunction(cpu, _ => { }, wait: true);
                    break;
                case "synchronize_rcu":
                    reads = SharedObject.Rcu;
                    holder = cpu => { cpu.RcuReadLock(); m.Scheduling.Point(); Hold(m); cpu.RcuReadUnlock(); m.Scheduling.Point(); };
                    waiter = cpu => m.Rcu.SynchronizeRcu(cpu);
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(wait), wait, "no such wait");
            }
            var log = new StepLog();
            var run = m.Run(new Scenario().On(0, waiter).On(1, holder), new RunOptions(Schedule.Parse("1.1.0")) { Steps = log });
            Assert.True(run.Outcome == RunOutcome.Completed, $"{run.Outcome}: {run.Message}");
            var blocked = BlockedSteps(run, log, cpu: 0).ToList();
            Assert.True(blocked.Count > 0, $"{wait}: cpu0 never blocked; schedule {run.Schedule}");
            foreach (var step in blocked)
            {
                var accesses = Accesses(log, step);
                Assert.True(accesses.Any(a => a.Key == reads), $"{wait}, step {step}: no record of {SharedObject.Describe(reads)} in {Show(accesses)}");
                Assert.False(accesses.Any(a => SharedObject.KindOf(a.Key) is SharedKind.Everything or SharedKind.AllMemory),
                    $"{wait}, step {step}: a wildcard in {Show(accesses)}");
            }
        }

        // Points while holding, so the waiter gets its turn (and blocks) before the release.
        private static void Hold(Machine m)
        {
            for (var i = 0; i < 3; i++) m.Scheduling.Point();
        }

        // Steps of cpu after which it could not move although it had more to do: it blocked in a wait.
        private static IEnumerable<int> BlockedSteps(RunResult run, StepLog log, int cpu)
        {
            for (var s = 0; s + 1 < log.Count; s++)
            {
                if (log[s].Cpu != cpu) continue;
                var later = false;
                for (var t = s + 1; t < log.Count; t++) later |= log[t].Cpu == cpu;
                if (!later) continue;
                var next = log[s + 1];
                var couldMove = next.Decision >= 0 && run.Decisions[next.Decision].Options.Contains(cpu);
                if (!couldMove && next.Cpu != cpu) yield return s;
            }
        }
    }
}
