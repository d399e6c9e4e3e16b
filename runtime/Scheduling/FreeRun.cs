using System;
using System.Collections.Generic;
using System.Threading;

namespace Shootdown.Simulation
{
    /// <summary>A free-running run: every CPU's task on its own real thread, all at once, released together.</summary>
    internal static class FreeRun
    {
        public static RunResult Execute(Machine machine, Scenario scenario, TimeSpan timeout)
        {
            var traceStart = machine.Trace.Snapshot().Count;
            var violationStart = machine.Violations.All.Count;
            var tasks = new List<CpuTask>();
            foreach (var pair in scenario.Actions) tasks.Add(new CpuTask(machine.Cpus[pair.Key], pair.Value, null));
            machine.Scheduling.Enter(SchedulingMode.FreeRunning);
            var outcome = RunOutcome.Completed;
            var message = "";
            try
            {
                using var start = new Barrier(tasks.Count);
                foreach (var task in tasks)
                {
                    machine.CrossCalls.BindTask(task);
                    var t = task;
                    task.Thread = new Thread(() => Body(t, start)) { IsBackground = true, Name = $"cpu{task.Cpu.Id}" };
                }
                foreach (var task in tasks) task.Thread!.Start();
                var deadline = DateTime.UtcNow + timeout;
                foreach (var task in tasks)
                {
                    var left = deadline - DateTime.UtcNow;
                    if (left < TimeSpan.Zero || !task.Thread!.Join(left))
                    {
                        outcome = RunOutcome.Hung;
                        message = $"cpu{task.Cpu.Id} did not finish within {timeout.TotalSeconds:0.#} s; the machine is left unusable";
                        break;
                    }
                }
            }
            finally
            {
                machine.Scheduling.Leave();
            }
            var errors = new List<Exception>();
            foreach (var task in tasks)
            {
                if (task.Error != null) errors.Add(task.Error);
            }
            if (outcome == RunOutcome.Completed && errors.Count > 0)
            {
                outcome = errors[0] is SimulationDeadlockException ? RunOutcome.Deadlock : RunOutcome.TaskFailed;
                message = errors[0].Message;
            }
            var trace = machine.Trace.Snapshot();
            var violations = machine.Violations.All;
            return new RunResult(outcome, message, Array.Empty<Decision>(), 0, Slice(trace, traceStart), Slice(violations, violationStart), errors);
        }

        private static T[] Slice<T>(IReadOnlyList<T> all, int start)
        {
            var slice = new T[Math.Max(0, all.Count - start)];
            for (var i = 0; i < slice.Length; i++) slice[i] = all[start + i];
            return slice;
        }

        private static void Body(CpuTask task, Barrier start)
        {
            Scheduling.Bind(task);
            try
            {
                start.SignalAndWait();
                task.Action(task.Cpu);
            }
            catch (Exception e)
            {
                task.Error = e;
            }
            finally
            {
                if (!task.Cpu.IrqsEnabled)
                {
                    task.Error ??= new InvalidOperationException($"cpu{task.Cpu.Id} ended its task with interrupts off");
                    task.Cpu.EnableIrqs();
                }
                task.Cpu.Machine.CrossCalls.UnbindTask(task);
                task.Done = true;
                Scheduling.Bind(null);
            }
        }
    }
}
