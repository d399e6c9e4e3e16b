using System;
using System.Collections.Generic;
using System.Numerics;
using Shootdown.Simulation;

namespace Shootdown.Explorer
{
    /// <summary>
    /// Stateless dynamic partial-order reduction over the shared objects each step touches (<see cref="SharedObject"/>):
    /// Flanagan and Godefroid's DPOR (POPL 2005) with sleep sets (Godefroid 1996), or, under a preemption bound, the
    /// conservative bounded variant of Coons, Musuvathi and McKinley (OOPSLA 2013) without sleep sets.
    /// </summary>
    /// <remarks>
    /// <para>Each execution records its steps and what each touched. Afterwards every race is found: two steps of
    /// different CPUs that conflict (an overlapping object, one writes) and are not ordered by happens-before (program
    /// order and the conflicts before them, as vector clocks). For a race between step <c>i</c> and a later step of CPU
    /// <c>p</c>, <c>p</c> is added to the backtrack set of the decision before <c>i</c> if it could move there, else every
    /// CPU that could. Every race is used, not only the last one per step, which only adds backtrack points. The search
    /// then branches at the deepest decision with a CPU to backtrack to that is neither done nor asleep.</para>
    /// <para>Sleep sets (unbounded mode): a CPU already explored from a state sleeps in its siblings' subtrees until a
    /// step conflicts with the step it would take; a run whose every movable CPU sleeps is equivalent to one explored and
    /// stops (counted as pruned). The step a sleeping CPU would take is the one recorded when it was explored from that
    /// state: the simulation is deterministic, and a step that conflicts with nothing it read cannot change it.</para>
    /// <para>Bounded mode: a branch that would exceed the preemption bound is not taken, and each backtrack point is also
    /// added at the start of the block of steps the racing CPU ran without a switch, where switching costs less. Sleep
    /// sets are off there: a CPU put to sleep by a sibling could be due in a schedule whose equivalent the bound cut.</para>
    /// </remarks>
    internal sealed class Dpor : IRunGuide
    {
        private readonly int _bound; // preemption bound, or -1 for none
        private readonly List<Node> _nodes = new();
        private int _branch = -1;    // node where the current execution leaves the last one
        private List<Sleeper>? _sleep; // the sleep set along the current execution, once past the branch
        private bool _boundCut;

        public Dpor(int preemptionBound) => _bound = preemptionBound;

        /// <summary>A branch was left unexplored because of the preemption bound.</summary>
        public bool BoundCut => _boundCut;

        /// <summary>Runs stopped because every movable CPU was asleep.</summary>
        public int Pruned { get; private set; }

        /// <summary>Backtrack points not explored because the CPU slept there.</summary>
        public int SleepSkips { get; private set; }

        private bool UseSleepSets => _bound < 0;

        private static readonly List<Sleeper> NoSleepers = new();

        private sealed class Node
        {
            public int[] Options = Array.Empty<int>();
            public int Chosen;
            public ulong Backtrack;
            public ulong Done;
            public List<Sleeper> Sleep = NoSleepers; // never changed in place: a node's set is copied, then edited
            public readonly Dictionary<int, Sleeper> Taken = new(); // the step each explored CPU took from here
        }

        private readonly struct Sleeper
        {
            public Sleeper(int cpu, long[] keys, bool[] writes, ulong reads, ulong writesSignature)
            {
                Cpu = cpu;
                Keys = keys;
                Writes = writes;
                ReadSignature = reads;
                WriteSignature = writesSignature;
            }

            public int Cpu { get; }
            public long[] Keys { get; }
            public bool[] Writes { get; }
            public ulong ReadSignature { get; }
            public ulong WriteSignature { get; }

            public bool ConflictsWith(StepLog log, int step)
            {
                var s = log[step];
                if (((WriteSignature & (s.ReadSignature | s.WriteSignature)) | (ReadSignature & s.WriteSignature)) == 0) return false;
                return SharedObject.Conflict(Keys, Writes, log.Keys(step), log.Writes(step));
            }
        }

        /// <summary>The schedule prefix of the next execution, or null when the search is over.</summary>
        public Schedule? Next(bool first)
        {
            if (first)
            {
                _branch = -1;
                _sleep = null;
                return Schedule.Empty;
            }
            for (var k = _nodes.Count - 1; k >= 0; k--)
            {
                var node = _nodes[k];
                var asleep = 0UL;
                foreach (var z in node.Sleep) asleep |= 1UL << z.Cpu;
                var todo = node.Backtrack & ~node.Done;
                if ((todo & asleep) != 0)
                {
                    SleepSkips += BitOperations.PopCount(todo & asleep);
                    node.Done |= todo & asleep;
                    todo &= ~asleep;
                }
                while (todo != 0)
                {
                    var cpu = BitOperations.TrailingZeroCount(todo);
                    todo &= todo - 1;
                    node.Done |= 1UL << cpu;
                    if (_bound >= 0 && PreemptionsBefore(k) + (WouldPreempt(k, cpu) ? 1 : 0) > _bound)
                    {
                        _boundCut = true;
                        continue;
                    }
                    _nodes.RemoveRange(k + 1, _nodes.Count - k - 1);
                    node.Chosen = cpu;
                    _branch = k;
                    _sleep = null;
                    var choices = new int[k + 1];
                    for (var i = 0; i <= k; i++) choices[i] = _nodes[i].Chosen;
                    return new Schedule(choices);
                }
            }
            return null;
        }

        private int PreemptionsBefore(int k)
        {
            var n = 0;
            for (var i = 0; i < k; i++)
            {
                if (WouldPreempt(i, _nodes[i].Chosen)) n++;
            }
            return n;
        }

        // Decision.Preempts on the path: a switch away from the CPU chosen at the previous decision while it could move.
        private bool WouldPreempt(int k, int cpu) => k > 0 && cpu != _nodes[k - 1].Chosen && Array.IndexOf(_nodes[k].Options, _nodes[k - 1].Chosen) >= 0;

        int IRunGuide.Choose(int decision, int[] options, int running)
        {
            var asleep = 0UL;
            if (_sleep != null)
            {
                foreach (var z in _sleep) asleep |= 1UL << z.Cpu;
            }
            var pick = -1;
            if (Array.IndexOf(options, running) >= 0 && (asleep & (1UL << running)) == 0) pick = running;
            else
            {
                foreach (var o in options)
                {
                    if ((asleep & (1UL << o)) != 0) continue;
                    pick = o;
                    break;
                }
            }
            if (pick < 0)
            {
                Pruned++;
                return -1;
            }
            if (decision < 0) return pick;
            if (decision != _nodes.Count) throw new InvalidOperationException($"decision {decision} past a path of {_nodes.Count} nodes");
            _nodes.Add(new Node
            {
                Options = (int[])options.Clone(),
                Chosen = pick,
                Backtrack = 1UL << pick,
                Done = 1UL << pick,
                Sleep = _sleep == null || _sleep.Count == 0 ? NoSleepers : new List<Sleeper>(_sleep),
            });
            return pick;
        }

        void IRunGuide.StepEnded(StepLog log, int step)
        {
            var s = log[step];
            // Bounded mode keeps no sleep sets, so it needs neither the steps taken from a node nor a set to carry.
            if (!UseSleepSets) return;
            if (s.Decision >= 0 && s.Decision < _nodes.Count && s.Decision >= _branch)
            {
                var node = _nodes[s.Decision];
                if (!node.Taken.ContainsKey(s.Cpu)) node.Taken[s.Cpu] = Capture(log, step);
                if (s.Decision == _branch && UseSleepSets)
                {
                    // Entering the new branch: what slept here and the siblings explored before sleep on, unless this step wakes them.
                    _sleep = new List<Sleeper>(node.Sleep);
                    foreach (var pair in node.Taken)
                    {
                        if (pair.Key != s.Cpu && (node.Done & (1UL << pair.Key)) != 0 && !_sleep.Exists(z => z.Cpu == pair.Key)) _sleep.Add(pair.Value);
                    }
                }
            }
            if (_sleep == null || _sleep.Count == 0) return;
            _sleep.RemoveAll(z => z.Cpu == s.Cpu || z.ConflictsWith(log, step));
        }

        private static Sleeper Capture(StepLog log, int step)
        {
            var s = log[step];
            return new Sleeper(s.Cpu, log.Keys(step).ToArray(), log.Writes(step).ToArray(), s.ReadSignature, s.WriteSignature);
        }

        /// <summary>Finds the races of the execution just run and adds their backtrack points.</summary>
        /// <remarks>
        /// Each access looks back only through the earlier accesses of its own object, newest first, and stops at the
        /// newest write: everything older on that object is ordered before that write or races with it. A read looks
        /// at that write alone. Steps with a wildcard object (<see cref="SharedKind.Everything"/>,
        /// <see cref="SharedKind.AllMemory"/>) are compared with every earlier step, and every step with the earlier
        /// wildcard steps; per CPU both stop at its newest step already ordered before.
        /// </remarks>
        public void Analyze(StepLog log)
        {
            var n = log.Count;
            if (n == 0) return;
            var threads = 0;
            for (var i = 0; i < n; i++) threads = Math.Max(threads, log[i].Cpu + 1);
            var clocks = new int[n][];
            var last = new int[threads];
            Array.Fill(last, -1);
            var history = new Dictionary<long, History>(); // per object: (step << 1) | write, in order
            var wild = new List<int>();                      // steps that touch a wildcard object
            var everyCpu = threads >= 64 ? ulong.MaxValue : (1UL << threads) - 1;
            for (var j = 0; j < n; j++)
            {
                var p = log[j].Cpu;
                var c = last[p] >= 0 ? (int[])clocks[last[p]].Clone() : new int[threads];
                c[p] = j + 1;
                var keys = log.Keys(j);
                var writes = log.Writes(j);
                var isWild = false;
                foreach (var k in keys) isWild |= IsWildcard(k);
                if (isWild)
                {
                    // Newest first, and per CPU only down to its newest step already ordered before j: clocks only
                    // grow, so every older step of that CPU is ordered before j too, and Compare would skip it.
                    var open = everyCpu & ~(1UL << p);
                    for (var i = j - 1; i >= 0 && open != 0; i--)
                    {
                        var q = log[i].Cpu;
                        if ((open & (1UL << q)) == 0) continue;
                        if (clocks[i][q] <= c[q]) open &= ~(1UL << q);
                        else Compare(log, clocks, i, j, p, c, threads);
                    }
                }
                else
                {
                    // The same cut-off as above, over the wildcard steps only.
                    var open = everyCpu & ~(1UL << p);
                    for (var w = wild.Count - 1; w >= 0 && open != 0; w--)
                    {
                        var i = wild[w];
                        var q = log[i].Cpu;
                        if ((open & (1UL << q)) == 0) continue;
                        if (clocks[i][q] <= c[q]) open &= ~(1UL << q);
                        else Compare(log, clocks, i, j, p, c, threads);
                    }
                    for (var a = 0; a < keys.Length; a++)
                    {
                        if (!history.TryGetValue(keys[a], out var list)) continue;
                        // A read races only with the newest write (two reads do not conflict, and everything older is
                        // ordered before that write); a write with the reads since that write, then the write.
                        var oldest = writes[a] ? Math.Max(list.LastWrite, 0) : list.LastWrite;
                        if (oldest < 0) continue;
                        for (var h = writes[a] ? list.Entries.Count - 1 : oldest; h >= oldest; h--)
                        {
                            var i = list.Entries[h] >> 1;
                            var q = log[i].Cpu;
                            if (q != p && clocks[i][q] > c[q])
                            {
                                Race(log, i, p);
                                Join(c, clocks[i], threads);
                            }
                        }
                    }
                }
                clocks[j] = c;
                last[p] = j;
                if (isWild) wild.Add(j);
                for (var a = 0; a < keys.Length; a++)
                {
                    if (!history.TryGetValue(keys[a], out var list)) history[keys[a]] = list = new History();
                    if (writes[a]) list.LastWrite = list.Entries.Count;
                    list.Entries.Add((j << 1) | (writes[a] ? 1 : 0));
                }
            }
        }

        // The accesses of one object in step order, and where its newest write is (-1: none yet). A read looks only
        // there: scanning back through every read of an object read at each point (RCU, a CPU's mailbox) made the
        // analysis quadratic in the steps of an execution.
        private sealed class History
        {
            public readonly List<int> Entries = new();
            public int LastWrite = -1;
        }

        private void Compare(StepLog log, int[][] clocks, int i, int j, int p, int[] c, int threads)
        {
            var q = log[i].Cpu;
            if (q == p || clocks[i][q] <= c[q]) return; // same CPU, or already ordered before j
            if (!log.Conflict(i, j)) return;
            Race(log, i, p);
            Join(c, clocks[i], threads);
        }

        private static void Join(int[] into, int[] other, int threads)
        {
            for (var t = 0; t < threads; t++) into[t] = Math.Max(into[t], other[t]);
        }

        private static bool IsWildcard(long key) => SharedObject.KindOf(key) is SharedKind.Everything or SharedKind.AllMemory;

        private void Race(StepLog log, int i, int p)
        {
            AddBacktrack(log[i].Decision, p);
            if (_bound < 0) return;
            // Bounded: also where the CPU of step i took over, so the reversal need not cost a preemption more.
            var q = log[i].Cpu;
            var start = i;
            while (start > 0 && log[start - 1].Cpu == q) start--;
            for (var k = start; k <= i; k++)
            {
                if (log[k].Decision < 0) continue;
                if (k != i) AddBacktrack(log[k].Decision, p);
                break;
            }
        }

        private void AddBacktrack(int decision, int p)
        {
            if (decision < 0 || decision >= _nodes.Count) return;
            var node = _nodes[decision];
            if (Array.IndexOf(node.Options, p) >= 0) node.Backtrack |= 1UL << p;
            else foreach (var o in node.Options) node.Backtrack |= 1UL << o;
        }
    }
}
