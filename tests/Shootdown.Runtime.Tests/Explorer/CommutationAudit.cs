using System;
using System.Collections.Generic;
using Shootdown.Explorer;
using Shootdown.Simulation;

namespace Shootdown.Runtime.Tests.Explorer
{
    /// <summary>
    /// Checks the premise of partial-order reduction on real scenarios: two adjacent steps of different CPUs whose recorded
    /// accesses do not conflict (disjoint objects, or only reads in common) leave the same machine state in either order.
    /// One execution under a seeded random schedule gives the steps; each sampled pair is then replayed twice from a fresh
    /// start state, step by step up to the pair, once in the recorded order and once swapped, and the state after the pair
    /// is compared (<see cref="MachineState"/>).
    /// </summary>
    internal static class CommutationAudit
    {
        /// <summary>One adjacent pair replayed both ways: whether the swap was possible and the two states.</summary>
        internal sealed record Pair(int Step, int First, int Second, bool Conflict, bool Swappable, MachineState? InOrder, MachineState? Swapped)
        {
            public bool Commutes => Swappable && InOrder != null && Swapped != null && InOrder.Equals(Swapped);
        }

        /// <summary>
        /// The pairs of one execution of <paramref name="scenario"/> (seed <paramref name="seed"/>) that the search could
        /// reorder: steps <c>k</c> and <c>k+1</c> of different CPUs where the CPU of <c>k+1</c> could also move at the decision
        /// of <c>k</c>, and both could move after the pair. At most <paramref name="perKind"/> independent and as many conflicting ones, spread over the run.
        /// </summary>
        public static List<Pair> Audit(RaceScenario scenario, ArchDescriptor d, ArchitectureOps subject, int seed, int perKind)
        {
            var log = new StepLog();
            var (m, sc) = Prepare(scenario, d, subject);
            var run = m.Run(sc, new RunOptions(Seed: seed) { Steps = log });
            if (run.Outcome is not (RunOutcome.Completed))
                throw new InvalidOperationException($"{scenario.Name} seed {seed}: {run.Outcome} {run.Message}");
            var cpus = new int[log.Count];
            for (var s = 0; s < log.Count; s++) cpus[s] = log[s].Cpu;
            var independent = new List<int>();
            var conflicting = new List<int>();
            for (var k = 0; k + 2 < log.Count; k++)
            {
                var a = log[k];
                var b = log[k + 1];
                var after = log[k + 2];
                if (a.Cpu == b.Cpu || a.Decision < 0 || !Contains(run.Decisions[a.Decision].Options, b.Cpu)) continue;
                // Both CPUs can still move after the pair, so each step ended at its CPU's next point: had one been
                // left unable to move, the other's step would run on into its next one, and the replay that stops at
                // the next step boundary would compare states at different points.
                if (after.Decision < 0 || !Contains(run.Decisions[after.Decision].Options, a.Cpu) || !Contains(run.Decisions[after.Decision].Options, b.Cpu)) continue;
                (log.Conflict(k, k + 1) ? conflicting : independent).Add(k);
            }
            var pairs = new List<Pair>();
            foreach (var k in Spread(independent, perKind)) pairs.Add(Replay(scenario, d, subject, cpus, k, conflict: false));
            foreach (var k in Spread(conflicting, perKind)) pairs.Add(Replay(scenario, d, subject, cpus, k, conflict: true));
            return pairs;
        }

        private static Pair Replay(RaceScenario scenario, ArchDescriptor d, ArchitectureOps subject, int[] cpus, int k, bool conflict)
        {
            var inOrder = cpus.AsSpan(0, k + 2).ToArray();
            var swapped = (int[])inOrder.Clone();
            (swapped[k], swapped[k + 1]) = (swapped[k + 1], swapped[k]);
            var a = Steps(scenario, d, subject, inOrder);
            var b = Steps(scenario, d, subject, swapped);
            return new Pair(k, cpus[k], cpus[k + 1], conflict, a.Followed && b.Followed, a.State, b.State);
        }

        private static StepGuide Steps(RaceScenario scenario, ArchDescriptor d, ArchitectureOps subject, int[] cpus)
        {
            var (m, sc) = Prepare(scenario, d, subject);
            var guide = new StepGuide(m, cpus);
            var run = m.Run(sc, new RunOptions { Guide = guide });
            // A run whose tasks all ended with the last step of the list reaches no further boundary: take the state now.
            if (guide.State == null && guide.Followed && guide.Taken == cpus.Length && run.Outcome == RunOutcome.Completed)
                guide.State = MachineState.Of(m);
            return guide;
        }

        private static (Machine, Scenario) Prepare(RaceScenario scenario, ArchDescriptor d, ArchitectureOps subject)
        {
            subject = scenario.SubjectFor(subject);
            var prep = scenario.Prepare(d, subject);
            prep.Machine.Faults = subject.Faults;
            prep.Machine.Trace.Enabled = false;
            return (prep.Machine, prep.Scenario);
        }

        private static bool Contains(IReadOnlyList<int> options, int cpu)
        {
            foreach (var o in options)
            {
                if (o == cpu) return true;
            }
            return false;
        }

        private static IEnumerable<int> Spread(List<int> all, int count)
        {
            if (all.Count <= count)
            {
                foreach (var k in all) yield return k;
                yield break;
            }
            for (var i = 0; i < count; i++) yield return all[i * all.Count / count];
        }

        /// <summary>
        /// Picks the CPU of each step in turn, then stops the run at the next step boundary and takes the machine state
        /// there, before the stopped tasks unwind. A CPU that cannot move when its turn comes stops the run too.
        /// </summary>
        private sealed class StepGuide : IRunGuide
        {
            private readonly Machine _m;
            private readonly int[] _cpus;

            public StepGuide(Machine m, int[] cpus)
            {
                _m = m;
                _cpus = cpus;
            }

            public int Taken { get; private set; }
            public bool Followed { get; private set; } = true;
            public MachineState? State { get; set; }

            public int Choose(int decision, int[] options, int running)
            {
                if (Taken == _cpus.Length)
                {
                    State ??= MachineState.Of(_m);
                    return -1;
                }
                var want = _cpus[Taken++];
                if (Array.IndexOf(options, want) < 0)
                {
                    Followed = false;
                    return -1;
                }
                return want;
            }

            public void StepEnded(StepLog log, int step)
            {
            }
        }
    }
}
