using System;
using System.Linq;
using Shootdown.Simulation;

namespace Shootdown.Runtime.Tests.MachineTests
{
    public class SchedulingTests
    {
        [Theory]
        [InlineData("", 0)]
        [InlineData("0", 1)]
        [InlineData("0.0.1.1.0", 5)]
        [InlineData("63.2", 2)]
        public void Schedules_print_and_parse_back(string text, int count)
        {
            var s = Schedule.Parse(text);
            Assert.Equal(count, s.Count);
            Assert.Equal(text, s.ToString());
            Assert.Equal(s, Schedule.Parse(s.ToString()));
        }

        [Theory]
        [InlineData("0..1")]
        [InlineData("a")]
        [InlineData("64")]
        [InlineData("-1")]
        [InlineData("1.")]
        [InlineData("0,1")]
        public void Bad_schedule_strings_are_refused_with_a_reason(string text)
        {
            Assert.False(Schedule.TryParse(text, out _, out var error));
            Assert.Contains("decision", error);
            Assert.Throws<FormatException>(() => Schedule.Parse(text));
        }

        private static (Machine, Scenario) TwoWriters()
        {
            var m = new Machine(Machines.IpiX86, cpus: 3, frames: 128);
            m.Trace.Enabled = true;
            var t = m.Tables.Allocate(0);
            var scenario = new Scenario();
            for (var c = 0; c < 3; c++)
            {
                var id = c;
                scenario.On(c, cpu =>
                {
                    for (var i = 0; i < 4; i++)
                    {
                        PageTables.Write(m, t, 0, i, PageTables.PageEntry(m, 10 + id, 0));
                        m.Trace.Record(EventKind.WalkerRead, cpu.Id, PageTables.Read(m, t, 0, (i + 1) % 4));
                    }
                });
            }
            return (m, scenario);
        }

        [Fact]
        public void A_seed_reproduces_and_the_schedule_it_took_replays_to_the_same_trace()
        {
            var (m1, s1) = TwoWriters();
            var first = m1.Run(s1, new RunOptions(Seed: 42));
            Assert.Equal(RunOutcome.Completed, first.Outcome);
            Assert.True(first.Decisions.Count > 5);
            Assert.All(first.Decisions, d => Assert.Contains(d.Chosen, d.Options));
            var (m2, s2) = TwoWriters();
            var again = m2.Run(s2, new RunOptions(Seed: 42));
            Assert.Equal(first.TraceText(), again.TraceText());
            var (m3, s3) = TwoWriters();
            var replay = m3.Run(s3, new RunOptions(Schedule.Parse(first.Schedule.ToString())));
            Assert.Equal(first.TraceText(), replay.TraceText());
            Assert.Equal(first.Schedule, replay.Schedule);
            var (m4, s4) = TwoWriters();
            var other = m4.Run(s4, new RunOptions(Seed: 7));
            Assert.NotEqual(first.Schedule, other.Schedule);
        }

        [Fact]
        public void Controlled_runs_reuse_their_threads_and_a_replay_after_aborted_runs_is_identical()
        {
            var (m0, s0) = TwoWriters();
            var reference = m0.Run(s0, new RunOptions(Seed: 3));
            var threads = new System.Collections.Concurrent.ConcurrentDictionary<int, bool>();
            for (var k = 0; k < 60; k++)
            {
                var m = new Machine(Machines.IpiX86, cpus: 3, frames: 64);
                var s = new Scenario();
                for (var c = 0; c < 3; c++)
                {
                    s.On(c, _ =>
                    {
                        threads[Environment.CurrentManagedThreadId] = true;
                        m.Scheduling.Point();
                        m.Scheduling.Point();
                    });
                }
                // Every third run is cut short, leaving its threads mid-task when the run ends.
                var r = m.Run(s, k % 3 == 0 ? new RunOptions(Seed: k, MaxSteps: 2) : new RunOptions(Seed: k));
                Assert.Equal(k % 3 == 0 ? RunOutcome.StepLimit : RunOutcome.Completed, r.Outcome);
            }
            // 180 tasks ran; a thread per task would show 180 threads.
            Assert.InRange(threads.Count, 3, 12);
            var (m1, s1) = TwoWriters();
            var replay = m1.Run(s1, new RunOptions(reference.Schedule));
            Assert.Equal(reference.Schedule, replay.Schedule);
            Assert.Equal(reference.Steps, replay.Steps);
            Assert.Equal(reference.TraceText(), replay.TraceText());
        }

        [Fact]
        public void A_task_is_given_a_thread_at_its_first_turn_so_a_run_that_never_reaches_it_starts_none()
        {
            var m = new Machine(Machines.IpiX86, cpus: 3, frames: 64);
            var ran = new bool[3];
            var s = new Scenario();
            for (var c = 0; c < 3; c++)
            {
                var cpu = c;
                s.On(c, _ =>
                {
                    ran[cpu] = true;
                    for (var i = 0; i < 4; i++) m.Scheduling.Point();
                });
            }
            // The default policy keeps cpu0 going, and the step bound ends the run before anyone else moves.
            var cut = m.Run(s, new RunOptions(MaxSteps: 3));
            Assert.Equal(RunOutcome.StepLimit, cut.Outcome);
            Assert.Equal(new[] { true, false, false }, ran);
            Assert.Equal(1, m.Scheduling.ThreadsTaken);
            // A schedule that gives cpu2 a turn, then cpu1 one after cpu0 ends: a thread each, started at that turn.
            var full = m.Run(s, new RunOptions(Schedule.Parse("0.2")));
            Assert.Equal(RunOutcome.Completed, full.Outcome);
            Assert.Equal(1 + 3, m.Scheduling.ThreadsTaken);
            // The same schedule again: the same steps (a replay does not depend on when threads started).
            var again = m.Run(s, new RunOptions(full.Schedule));
            Assert.Equal(full.Schedule, again.Schedule);
            Assert.Equal(full.Steps, again.Steps);
        }

        // The shape of a lockless walker that runs with interrupts on (fast GUP without local_irq_save) against an
        // initiator that relies on the IPI to hold the walker off: sync by IPI, then free. The walker's one table read
        // sees the free only when the IPI is taken, acknowledged, and the initiator goes on before that read: the
        // window that needs interrupt entry to be a step of its own.
        [Fact]
        public void An_ipi_is_taken_as_a_step_of_its_own_so_the_sender_can_go_on_before_the_next_read_of_the_interrupted_cpu()
        {
            var opened = 0;
            var runs = 0;
            foreach (var r in ScheduleExplorer.Exhaustive(() =>
            {
                var m = new Machine(Machines.IpiX86, cpus: 2, frames: 64);
                var freed = false;
                var s = new Scenario()
                    .On(0, cpu =>
                    {
                        m.Shootdown.SyncAllByIpi(cpu);
                        m.Scheduling.Point(StepKind.RefCount);
                        freed = true;
                    })
                    .On(1, cpu =>
                    {
                        m.Scheduling.Point(StepKind.EntryLoad);
                        if (freed) m.Trace.Record(EventKind.WalkerRead, cpu.Id, 0xdead);
                    });
                m.Trace.Enabled = true;
                return (m, s);
            }, maxRuns: 500))
            {
                Assert.Equal(RunOutcome.Completed, r.Outcome);
                runs++;
                if (r.Trace.Any(e => e.Kind == EventKind.WalkerRead)) opened++;
            }
            Assert.True(runs < 500, "the exploration must exhaust");
            Assert.True(opened > 0, $"in none of {runs} schedules did the interrupted CPU read after the sender went on");
        }

        [Fact]
        public void A_schedule_naming_a_cpu_that_cannot_move_ends_the_run_and_leaves_the_machine_usable()
        {
            var (m, s) = TwoWriters();
            var r = m.Run(s, new RunOptions(Schedule.Parse("0.1.2.2.5")));
            Assert.Equal(RunOutcome.InvalidSchedule, r.Outcome);
            Assert.Contains("cpu5", r.Message);
            Assert.Equal(SchedulingMode.Direct, m.Scheduling.Mode);
            Assert.All(m.Cpus, c => Assert.False(c.IsRunningTask));
            var again = m.Run(new Scenario().On(0, cpu => m.Memory.TryAllocate(FrameUse.Data)));
            Assert.Equal(RunOutcome.Completed, again.Outcome);
            Assert.Throws<ArgumentOutOfRangeException>(() => m.Run(new Scenario().On(7, _ => { })));
            Assert.Throws<ArgumentException>(() => new Scenario().On(0, _ => { }).On(0, _ => { }));
        }

        [Fact]
        public void An_endless_task_stops_at_the_step_bound()
        {
            var m = new Machine(Machines.IpiX86, cpus: 2, frames: 64);
            var r = m.Run(new Scenario().On(0, _ => { while (true) m.Scheduling.Point(); }).On(1, _ => m.Scheduling.Point()),
                new RunOptions(MaxSteps: 500));
            Assert.Equal(RunOutcome.StepLimit, r.Outcome);
            Assert.Equal(500, r.Steps - 1);
        }

        [Fact]
        public void An_ipi_to_a_cpu_that_never_enables_interrupts_is_a_deadlock_not_a_hang()
        {
            var m = new Machine(Machines.IpiX86, cpus: 2, frames: 64);
            var never = false;
            var r = m.Run(new Scenario()
                .On(0, cpu => m.Shootdown.SyncAllByIpi(cpu))
                .On(1, cpu =>
                {
                    cpu.DisableIrqs();
                    m.Scheduling.WaitUntil(cpu, () => never, "a flag nobody sets");
                }));
            Assert.Equal(RunOutcome.Deadlock, r.Outcome);
            Assert.Contains("cpu1 (interrupts off)", r.Message);
        }

        [Fact]
        public void In_direct_mode_an_ipi_to_an_interrupts_off_cpu_throws_and_a_later_one_works()
        {
            var m = new Machine(Machines.IpiX86, cpus: 2, frames: 64);
            m.Trace.Enabled = true;
            m.Cpu(1).DisableIrqs();
            Assert.Throws<SimulationDeadlockException>(() => m.Shootdown.SyncAllByIpi(m.Cpu(0)));
            m.Cpu(1).EnableIrqs();
            Assert.Equal(0, m.Trace.Count(EventKind.IpiTaken)); // the abandoned request was not run late
            m.Shootdown.SyncAllByIpi(m.Cpu(0));
            Assert.Equal(1, m.Trace.Count(EventKind.IpiTaken));
            Assert.Equal(0, m.Cpu(1).IpisPending);
        }

        [Fact]
        public void The_ipi_sender_waits_until_the_interrupts_off_region_is_over_in_every_interleaving()
        {
            var runs = 0;
            foreach (var r in ScheduleExplorer.Exhaustive(() =>
            {
                var m = new Machine(Machines.IpiX86, cpus: 2, frames: 64);
                var regionOver = false;
                var scenario = new Scenario()
                    .On(0, cpu =>
                    {
                        m.Shootdown.SyncAllByIpi(cpu);
                        Assert.True(regionOver, "the IPI returned while cpu1 still had interrupts off");
                    })
                    .On(1, cpu =>
                    {
                        cpu.DisableIrqs();
                        for (var i = 0; i < 3; i++) m.Scheduling.Point();
                        regionOver = true;
                        cpu.EnableIrqs();
                    });
                return (m, scenario);
            }, maxRuns: 500))
            {
                runs++;
                Assert.True(r.Outcome == RunOutcome.Completed, r.ToString() + string.Join("; ", r.Errors.Select(e => e.Message)));
            }
            Assert.True(runs > 3);
        }

        [Fact]
        public void Synchronize_rcu_waits_out_interrupts_off_and_call_rcu_runs_after_the_grace_period()
        {
            var runs = 0;
            foreach (var r in ScheduleExplorer.Exhaustive(() =>
            {
                var m = new Machine(Machines.BroadcastArm, cpus: 3, frames: 64);
                m.Trace.Enabled = true;
                var regionOver = false;
                var scenario = new Scenario()
                    .On(0, cpu =>
                    {
                        m.Rcu.CallRcu(cpu, () => Assert.True(regionOver, "callback ran inside the grace period"));
                        m.Rcu.SynchronizeRcu(cpu);
                        Assert.True(regionOver, "synchronize_rcu returned while cpu1 still had interrupts off");
                    })
                    .On(1, cpu =>
                    {
                        cpu.DisableIrqs();
                        for (var i = 0; i < 3; i++) m.Scheduling.Point();
                        regionOver = true;
                        cpu.EnableIrqs();
                        for (var i = 0; i < 2; i++) m.Scheduling.Point();
                    });
                return (m, scenario);
            }, maxRuns: 400))
            {
                runs++;
                Assert.True(r.Outcome == RunOutcome.Completed, r.ToString() + string.Join("; ", r.Errors.Select(e => e.Message)));
                Assert.True(r.Trace.Count(e => e.Kind == EventKind.RcuQueued) == 1);
            }
            Assert.True(runs > 3);
        }

        [Fact]
        public void Direct_mode_rcu_holds_callbacks_while_a_cpu_has_interrupts_off()
        {
            var m = new Machine(Machines.BroadcastArm, cpus: 2, frames: 64);
            var ran = 0;
            m.Cpu(1).DisableIrqs();
            m.Rcu.CallRcu(m.Cpu(0), () => ran++);
            Assert.False(m.Rcu.Quiesce());
            Assert.Equal(0, ran);
            Assert.Throws<SimulationDeadlockException>(() => m.Rcu.SynchronizeRcu(m.Cpu(0)));
            m.Cpu(1).EnableIrqs();
            Assert.True(m.Rcu.Quiesce());
            Assert.Equal(1, ran);
            m.Cpu(0).DisableIrqs();
            Assert.Throws<InvalidOperationException>(() => m.Rcu.SynchronizeRcu(m.Cpu(0)));
        }
    }
}
