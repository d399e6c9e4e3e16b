using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using Shootdown.Simulation;

namespace Shootdown.Explorer
{
    /// <summary>
    /// Systematic and randomized exploration of a scenario's schedules on the controlled scheduler. Every execution
    /// starts from a freshly prepared machine and is checked (<see cref="Execution"/>).
    /// </summary>
    /// <remarks>
    /// <para>The default systematic search is dynamic partial-order reduction (<see cref="Dpor"/>): each step records the
    /// shared objects it touches, and only orders of conflicting steps are varied. With
    /// <see cref="SearchBounds.Unbounded"/> it has no preemption bound and uses sleep sets; otherwise it is bounded.</para>
    /// <para><see cref="SearchMode.ExhaustiveDfs"/> is the plain search, kept as the oracle DPOR is tested against:
    /// breadth by preemptions over every decision (<see cref="RunResult.Decisions"/>), counted by
    /// <see cref="Decision.Preempts"/>. Schedules
    /// are tried in order of preemptions used, so witnesses come out short. Beyond a schedule's prefix the default
    /// policy keeps the current CPU while it can and so adds none.</para>
    /// </remarks>
    public static class RaceExplorer
    {
        /// <summary>
        /// Explores <paramref name="scenario"/> on <paramref name="descriptor"/> with <paramref name="subject"/>.
        /// <paramref name="cancellation"/> is looked at between executions: once it is set the search stops, and the report
        /// says it was interrupted (<see cref="ExplorationReport.Interrupted"/>) and holds the executions that ran.
        /// </summary>
        public static ExplorationReport Explore(RaceScenario scenario, ArchDescriptor descriptor, ArchitectureOps subject, SearchBounds? bounds = null,
            CancellationToken cancellation = default)
        {
            ArgumentNullException.ThrowIfNull(scenario);
            ArgumentNullException.ThrowIfNull(descriptor);
            ArgumentNullException.ThrowIfNull(subject);
            bounds ??= SearchBounds.Default;
            bounds.Validate();
            if (!scenario.AppliesTo(descriptor)) throw new ArgumentException($"{scenario.Name} does not apply to {descriptor.Name}", nameof(scenario));
            subject = scenario.SubjectFor(subject); // another era's path: the reference's, which the report then names
            if (!bounds.Unbounded && bounds.Preemptions < scenario.MinimumPreemptions) bounds = bounds with { Preemptions = scenario.MinimumPreemptions };
            var search = new Search(scenario, descriptor, subject, bounds, cancellation);
            var clock = Stopwatch.StartNew();
            search.Run();
            search.Report.Elapsed = clock.Elapsed;
            return search.Report;
        }

        /// <summary>Replays <paramref name="schedule"/> with the trace on.</summary>
        public static Execution Replay(RaceScenario scenario, ArchDescriptor descriptor, ArchitectureOps subject, Schedule schedule, int maxSteps = 20_000) =>
            Execution.Of(scenario, descriptor, subject, Options(schedule, null, maxSteps), trace: true);

        internal static RunOptions Options(Schedule? schedule, int? seed, int maxSteps, bool audit = false) =>
            new(schedule, seed, maxSteps) { HangTimeout = TimeSpan.FromSeconds(5), AuditAccesses = audit };

        private sealed class Search
        {
            private readonly RaceScenario _scenario;
            private readonly ArchDescriptor _d;
            private readonly ArchitectureOps _subject;
            private readonly SearchBounds _b;
            private readonly CancellationToken _cancellation;
            private int _longest;

            public Search(RaceScenario scenario, ArchDescriptor d, ArchitectureOps subject, SearchBounds b, CancellationToken cancellation)
            {
                _scenario = scenario;
                _d = d;
                _subject = subject;
                _b = b;
                _cancellation = cancellation;
                Report = new ExplorationReport(scenario, d, subject, b);
            }

            public ExplorationReport Report { get; }

            // Every loop asks before each execution, so a cancellation stops the search between two executions.
            private bool Done => (_b.StopAtFirst && (Report.Witness != null || Report.Errors > 0)) || Cut();

            private bool Cut()
            {
                if (_cancellation.IsCancellationRequested) Report.Interrupted = true;
                return Report.Interrupted;
            }

            public void Run()
            {
                switch (_b.Search)
                {
                    case SearchMode.Dpor:
                        PartialOrder();
                        break;
                    case SearchMode.ExhaustiveDfs:
                        Systematic();
                        break;
                }
                // Random and PCT runs add nothing to a search that covered every interleaving.
                var proved = Report.Exhausted && _b.Search == SearchMode.Dpor && _b.Unbounded;
                if (_b.Search != SearchMode.Pct && !proved)
                {
                    for (var k = 0; k < _b.Random && !Done; k++)
                    {
                        Report.Random++;
                        Consider(Execute(Options(null, unchecked(_b.Seed * 7919 + k), _b.MaxSteps, _b.AuditAccesses)));
                    }
                }
                if (_b.Search != SearchMode.Random && !proved)
                {
                    for (var k = 0; k < _b.Pct && !Done; k++) PctOnce(new Random(unchecked(_b.Seed * 104729 + k)));
                }
                if (Report.Witness != null) Compact();
            }

            private void PartialOrder()
            {
                var dpor = new Dpor(_b.Unbounded ? -1 : _b.Preemptions);
                var prefix = dpor.Next(first: true);
                while (prefix != null)
                {
                    if (Done || Report.Systematic >= _b.MaxSystematic)
                    {
                        Finish(dpor);
                        return;
                    }
                    var log = new StepLog();
                    var e = Execute(Options(prefix, null, _b.MaxSteps, _b.AuditAccesses) with { Steps = log, Guide = dpor });
                    Report.Systematic++;
                    Consider(e);
                    dpor.Analyze(log);
                    prefix = dpor.Next(first: false);
                }
                Report.Exhausted = true;
                Finish(dpor);
            }

            private void Finish(Dpor dpor)
            {
                Report.Pruned = dpor.Pruned;
                Report.SleepSkips = dpor.SleepSkips;
                Report.BoundCut = dpor.BoundCut;
            }

            private Execution Execute(RunOptions options) => Execution.Of(_scenario, _d, _subject, options);

            private void Consider(Execution e)
            {
                if (e.Decisions > _longest) _longest = e.Decisions;
                if (e.IsError)
                {
                    Report.Errors++;
                    Report.FirstError ??= e;
                }
                if (!e.IsViolation) return;
                Report.Violating++;
                var best = Report.Witness;
                if (best == null || e.Decisions < best.Decisions || (e.Decisions == best.Decisions && e.Steps < best.Steps)) Report.Witness = e;
            }

            private void Systematic()
            {
                var queues = new Queue<Schedule>[_b.Preemptions + 1];
                for (var i = 0; i < queues.Length; i++) queues[i] = new Queue<Schedule>();
                queues[0].Enqueue(Schedule.Empty);
                for (var level = 0; level < queues.Length; level++)
                {
                    var queue = queues[level];
                    while (queue.Count > 0)
                    {
                        if (Done || Report.Systematic >= _b.MaxSystematic) return;
                        var prefix = queue.Dequeue();
                        var e = Execute(Options(prefix, null, _b.MaxSteps, _b.AuditAccesses));
                        Report.Systematic++;
                        Consider(e);
                        var decisions = e.Run.Decisions;
                        var used = 0;
                        for (var i = 0; i < decisions.Count; i++)
                        {
                            var decision = decisions[i];
                            if (i >= prefix.Count)
                            {
                                foreach (var option in decision.Options)
                                {
                                    if (option == decision.Chosen) continue;
                                    var cost = used + (Decision.Preempts(decisions, i, option) ? 1 : 0);
                                    if (cost <= _b.Preemptions) queues[cost].Enqueue(e.Schedule.Prefix(i).Then(option));
                                }
                            }
                            if (Decision.Preempts(decisions, i, decision.Chosen)) used++;
                        }
                    }
                }
                Report.Exhausted = true;
            }

            // PCT (Burckhardt et al.): random distinct priorities, d-1 change points among the decisions; at each
            // decision the highest-priority runnable CPU moves, and at a change point the CPU that was running drops
            // below every other. The controlled run takes a schedule prefix, so the PCT schedule is built by re-running
            // from the first decision where the run and PCT disagree.
            private void PctOnce(Random random)
            {
                var cpus = new List<int>(_scenario.Roles.Count);
                for (var i = 0; i < _scenario.Roles.Count; i++) cpus.Add(i);
                var priority = new int[cpus.Count];
                for (var i = 0; i < priority.Length; i++) priority[i] = i + _b.PctDepth;
                random.Shuffle(priority);
                var changes = new HashSet<int>();
                var span = Math.Max(1, _longest);
                for (var i = 0; i < _b.PctDepth - 1; i++) changes.Add(random.Next(span));
                var prefix = Schedule.Empty;
                for (var rebuild = 0; rebuild < 4 * (_longest + 2) && !Done; rebuild++)
                {
                    var e = Execute(Options(prefix, null, _b.MaxSteps, _b.AuditAccesses));
                    Report.Pct++;
                    Consider(e);
                    var next = FirstDisagreement(e.Run.Decisions, prefix.Count, (int[])priority.Clone(), changes, out var choice);
                    if (next < 0) return;
                    prefix = e.Schedule.Prefix(next).Then(choice);
                }
            }

            private int FirstDisagreement(IReadOnlyList<Decision> decisions, int from, int[] priority, HashSet<int> changes, out int choice)
            {
                var low = 0;
                for (var i = 0; i < decisions.Count; i++)
                {
                    if (changes.Contains(i) && i > 0 && decisions[i - 1].Chosen < priority.Length)
                        priority[decisions[i - 1].Chosen] = --low; // change point: the running CPU drops to the bottom
                    var want = -1;
                    foreach (var option in decisions[i].Options)
                    {
                        if (option < priority.Length && (want < 0 || priority[option] > priority[want])) want = option;
                    }
                    if (i >= from && want >= 0 && want != decisions[i].Chosen)
                    {
                        choice = want;
                        return i;
                    }
                }
                choice = -1;
                return -1;
            }

            // The witness schedule up to its last decision the default policy would not have taken, if that replays it.
            private void Compact()
            {
                var w = Report.Witness!;
                var decisions = w.Run.Decisions;
                var last = -1;
                for (var i = 0; i < decisions.Count; i++)
                {
                    var d = decisions[i];
                    var keep = i > 0 && Contains(d.Options, decisions[i - 1].Chosen) ? decisions[i - 1].Chosen : d.Options[0];
                    if (d.Chosen != keep) last = i;
                }
                var compact = w.Schedule.Prefix(last + 1);
                if (compact.Count < w.Schedule.Count)
                {
                    var again = Execute(Options(compact, null, _b.MaxSteps, _b.AuditAccesses));
                    if (!again.Schedule.Equals(w.Schedule) || !again.IsViolation) compact = w.Schedule;
                }
                Report.WitnessSchedule = compact;
            }

            private static bool Contains(IReadOnlyList<int> options, int cpu)
            {
                foreach (var o in options)
                {
                    if (o == cpu) return true;
                }
                return false;
            }
        }
    }
}
