using System;
using System.Collections.Generic;
using System.Threading;

namespace Shootdown.Simulation
{
    /// <summary>
    /// A controlled run: every CPU's task on its own thread (pooled across runs, <see cref="CpuThreads"/>), one baton. Only the task holding the baton moves; at each
    /// scheduling point it asks <see cref="Choose"/> who moves next and hands the baton over. Decisions come from the
    /// schedule, then from the default policy (seeded random, or "keep going, else lowest id").
    /// </summary>
    internal sealed class ControlledRun
    {
        private readonly Machine _machine;
        private readonly RunOptions _options;
        private readonly CpuTask[] _tasks;
        private readonly Random? _random;
        private readonly List<Decision> _decisions = new();
        private readonly ManualResetEventSlim _finished = new(false);
        private int _steps;
        private RunOutcome? _outcome;
        private string _message = "";
        private volatile bool _ended;
        private CpuTask? _ender;
        private readonly StepLog? _log;
        private readonly IRunGuide? _guide;
        private readonly AccessAudit? _audit;
        private readonly bool _eager = StartAllAtOnce;

        public ControlledRun(Machine machine, Scenario scenario, RunOptions options)
        {
            _machine = machine;
            _options = options;
            if (options.MaxSteps < 1) throw new ArgumentOutOfRangeException(nameof(options), options.MaxSteps, "MaxSteps must be positive");
            if (options.Seed is int seed) _random = new Random(seed);
            _guide = options.Guide;
            _log = options.Steps ?? (_guide != null || options.AuditAccesses ? new StepLog() : null);
            _audit = options.AuditAccesses ? new AccessAudit(machine) : null;
            var tasks = new List<CpuTask>();
            foreach (var pair in scenario.Actions) tasks.Add(new CpuTask(machine.Cpus[pair.Key], pair.Value, this));
            _tasks = tasks.ToArray();
        }

        public RunResult Execute()
        {
            var traceStart = _machine.Trace.Snapshot().Count;
            var violationStart = _machine.Violations.All.Count;
            _machine.Scheduling.Enter(SchedulingMode.Controlled);
            _machine.Scheduling.Log = _log;
            var hung = false;
            try
            {
                foreach (var task in _tasks) _machine.CrossCalls.BindTask(task);
                if (_eager)
                {
                    foreach (var task in _tasks) Start(task);
                }
                var first = Choose(null);
                if (first != null) Hand(first);
                else _finished.Set();
                hung = !WaitForEnd();
                if (!hung) AbortRemaining();
            }
            finally
            {
                if (!hung)
                {
                    foreach (var task in _tasks) _machine.CrossCalls.UnbindTask(task);
                }
                _machine.Scheduling.Log = null;
                _machine.Scheduling.Leave();
            }
            if (!hung) CloseStep();
            var errors = new List<Exception>();
            foreach (var task in _tasks)
            {
                if (task.Error != null) errors.Add(task.Error);
            }
            if (_outcome == null && errors.Count > 0) _outcome = RunOutcome.TaskFailed;
            var trace = _machine.Trace.Snapshot();
            var violations = _machine.Violations.All;
            return new RunResult(_outcome ?? RunOutcome.Completed, _message, _decisions.ToArray(), _steps,
                Slice(trace, traceStart), Slice(violations, violationStart), errors);
        }

        private static T[] Slice<T>(IReadOnlyList<T> all, int start)
        {
            var n = Math.Max(0, all.Count - start);
            var slice = new T[n];
            for (var i = 0; i < n; i++) slice[i] = all[start + i];
            return slice;
        }

        private bool WaitForEnd()
        {
            var lastSteps = -1;
            var lastProgress = DateTime.UtcNow;
            while (!_finished.Wait(50))
            {
                var steps = Volatile.Read(ref _steps);
                if (steps != lastSteps)
                {
                    lastSteps = steps;
                    lastProgress = DateTime.UtcNow;
                }
                else if (DateTime.UtcNow - lastProgress > _options.HangTimeout)
                {
                    _outcome = RunOutcome.Hung;
                    _message = $"no scheduling point for {_options.HangTimeout.TotalSeconds:0.#} s: a task blocks outside the scheduler " +
                        "(a real lock or a wait not expressed with WaitUntil); the machine is left unusable";
                    _ended = true;
                    return false;
                }
            }
            return true;
        }

        private void AbortRemaining()
        {
            var timeout = _options.HangTimeout;
            _ender?.Exited.Wait(timeout);
            foreach (var task in _tasks)
            {
                if (task == _ender || task.Done) continue;
                task.Aborting = true;
                if (task.Started) task.Gate.Release();
                else Complete(task); // never had a turn, so it has no thread: nothing to unwind
            }
            // Released all at once, so the aborted tasks unwind side by side, not one wake after another.
            foreach (var task in _tasks)
            {
                if (task != _ender && task.Started) task.Exited.Wait(timeout);
            }
        }

        /// <summary>
        /// The start before a task's thread was taken at its first turn, kept as the baseline of the explorer benchmark
        /// (tests/Shootdown.Benchmarks): every task's thread starts with the run and waits at its gate for its first turn,
        /// two wake-ups (thread, then gate) instead of one. Read when a run is created.
        /// </summary>
        internal static bool StartAllAtOnce;

        // Gives the baton to next. A task's thread is taken from the pool at its first turn, not at the start of the run:
        // the wake-up that starts it is the handoff, and a task the run never reaches (a run pruned, stopped at a
        // violation or the step bound) costs no thread at all.
        private void Hand(CpuTask next)
        {
            if (next.Started) next.Gate.Release();
            else Start(next);
        }

        private void Start(CpuTask task)
        {
            if (task.Started) return;
            task.Started = true;
            Interlocked.Increment(ref _machine.Scheduling.ThreadsTaken);
            CpuThreads.Start(() => Body(task));
        }

        private void Body(CpuTask task)
        {
            Scheduling.Bind(task);
            if (_eager) task.Gate.Wait();
            try
            {
                if (!task.Aborting && !_ended) task.Action(task.Cpu);
            }
            catch (RunAbortedException)
            {
            }
            catch (Exception e)
            {
                task.Error = e;
            }
            finally
            {
                Complete(task);
                Scheduling.Bind(null);
                task.Exited.Set();
            }
        }

        private void Complete(CpuTask task)
        {
            if (!task.Cpu.IrqsEnabled && !task.Aborting)
            {
                task.Error ??= new InvalidOperationException($"cpu{task.Cpu.Id} ended its task with interrupts off");
                task.Cpu.IrqsEnabled = true;
            }
            _machine.CrossCalls.UnbindTask(task);
            task.Done = true;
            if (task.Aborting || _ended) return;
            if (task.Error != null)
            {
                End(RunOutcome.TaskFailed, $"cpu{task.Cpu.Id} threw {task.Error.GetType().Name}: {task.Error.Message}");
                return;
            }
            var next = Choose(null);
            if (next != null)
            {
                Hand(next);
                return;
            }
            if (_outcome != null) return;
            var allDone = true;
            foreach (var t in _tasks) allDone &= t.Done;
            if (allDone) End(RunOutcome.Completed, "");
            else End(RunOutcome.Deadlock, DeadlockMessage());
        }

        /// <summary>Called by the baton holder at a scheduling point.</summary>
        public void Yield(CpuTask task, StepKind kind)
        {
            if (_ended)
            {
                task.Aborting = true;
                throw new RunAbortedException();
            }
            var steps = Interlocked.Increment(ref _steps);
            if (steps > _options.MaxSteps)
            {
                End(RunOutcome.StepLimit, $"stopped at the bound of {_options.MaxSteps} steps");
                task.Aborting = true;
                throw new RunAbortedException();
            }
            var next = Choose(task);
            if (next == null)
            {
                if (_outcome == null) End(RunOutcome.Deadlock, DeadlockMessage());
                task.Aborting = true;
                throw new RunAbortedException();
            }
            if (next == task) return;
            Hand(next);
            task.Gate.Wait();
            if (task.Aborting) throw new RunAbortedException();
        }

        private CpuTask? Choose(CpuTask? current)
        {
            // The scheduler's look at RCU (and the quiescent states it notes) belongs to the step that just ended.
            _log?.Touch(SharedObject.Rcu, false);
            if (_machine.Rcu.HasWork)
            {
                // Idle CPUs and CPUs sleeping in a wait with interrupts on are in a quiescent state.
                _machine.Rcu.NoteIdleQuiescent();
                foreach (var t in _tasks)
                {
                    if (!t.Done && t.Blocked != null) _machine.Rcu.NoteQuiescent(t.Cpu);
                }
            }
            List<CpuTask>? runnable = null;
            foreach (var t in _tasks)
            {
                if (t.Runnable) (runnable ??= new()).Add(t);
            }
            if (runnable == null) return null;
            if (runnable.Count == 1)
            {
                var only = runnable[0];
                // The only CPU able to move, going on: no schedule puts anything between this step and its last one.
                if (_log != null && _log.OpenCpu == only.Cpu.Id) return only;
                CloseStep();
                if (_ended) return null;
                var pastPrefix = _options.Schedule == null || _decisions.Count >= _options.Schedule.Count;
                if (_guide != null && pastPrefix && _guide.Choose(-1, new[] { only.Cpu.Id }, current?.Cpu.Id ?? -1) < 0)
                {
                    Prune();
                    return null;
                }
                _log?.Begin(only.Cpu.Id, -1);
                return only;
            }
            CloseStep();
            if (_ended) return null;
            var index = _decisions.Count;
            CpuTask? pick = null;
            var schedule = _options.Schedule;
            var options = new int[runnable.Count];
            for (var i = 0; i < options.Length; i++) options[i] = runnable[i].Cpu.Id;
            if (schedule != null && index < schedule.Count)
            {
                var want = schedule[index];
                pick = runnable.Find(t => t.Cpu.Id == want);
                if (pick == null)
                {
                    End(RunOutcome.InvalidSchedule, $"decision {index} of [{schedule}] names cpu{want}, but only {Names(runnable)} can move");
                    return null;
                }
            }
            else if (_guide != null)
            {
                var want = _guide.Choose(index, options, current?.Cpu.Id ?? -1);
                if (want < 0)
                {
                    Prune();
                    return null;
                }
                pick = runnable.Find(t => t.Cpu.Id == want) ?? throw new InvalidOperationException($"the guide chose cpu{want}, which cannot move");
            }
            else if (_random != null)
            {
                pick = runnable[_random.Next(runnable.Count)];
            }
            else
            {
                pick = current != null && runnable.Contains(current) ? current : runnable[0];
            }
            _decisions.Add(new Decision(pick.Cpu.Id, options));
            _log?.Begin(pick.Cpu.Id, index);
            return pick;
        }

        // The open step is over: its accesses are final, and the guide's sleep set moves past it.
        private void CloseStep()
        {
            if (_log == null || !_log.Close()) return;
            if (_audit?.Check(_log, _log.Last) is { } unrecorded) End(RunOutcome.UnrecordedAccess, unrecorded);
            _guide?.StepEnded(_log, _log.Last);
        }

        private void Prune()
        {
            End(RunOutcome.Pruned, "every CPU that can move is asleep: each way on is equivalent to a schedule explored before");
        }

        private static string Names(List<CpuTask> tasks)
        {
            var names = new List<string>();
            foreach (var t in tasks) names.Add("cpu" + t.Cpu.Id);
            return string.Join(", ", names);
        }

        private string DeadlockMessage()
        {
            var waiting = new List<string>();
            foreach (var t in _tasks)
            {
                if (!t.Done) waiting.Add($"cpu{t.Cpu.Id}{(t.Cpu.IrqsEnabled ? "" : " (interrupts off)")}");
            }
            return "every unfinished CPU waits: " + string.Join(", ", waiting);
        }

        private void End(RunOutcome outcome, string message)
        {
            if (_outcome == null)
            {
                _outcome = outcome;
                _message = message;
            }
            _ender = _machine.Scheduling.CurrentTask;
            _ended = true;
            _finished.Set();
        }
    }
}
