using System;
using System.Collections.Generic;
using System.Threading;

namespace Shootdown.Explorer
{
    /// <summary>
    /// Runs independent jobs on several threads and hands their results on in job order. Every exploration is deterministic
    /// on its own (its schedules, seeds and witness depend only on scenario, descriptor, subject and bounds), so results,
    /// witnesses and their order are the same for any degree of parallelism; only wall time changes.
    /// </summary>
    public static class InOrder
    {
        /// <summary>
        /// Runs <paramref name="work"/> for every index below <paramref name="count"/>, at most <paramref name="parallelism"/>
        /// at a time (0: one per core), and calls <paramref name="completed"/> for each result in index order, one call at a
        /// time. Once <paramref name="cancel"/> is set no new job starts; the result then holds the finished prefix only.
        /// </summary>
        public static IReadOnlyList<T> Run<T>(int count, int parallelism, Func<int, T> work, Action<int, T>? completed = null, CancellationToken cancel = default)
        {
            ArgumentNullException.ThrowIfNull(work);
            ArgumentOutOfRangeException.ThrowIfNegative(count);
            ArgumentOutOfRangeException.ThrowIfNegative(parallelism);
            var results = new T[count];
            var finished = new bool[count];
            var next = -1;
            var handedOn = 0;
            var gate = new object();
            Exception? failure = null;

            void Worker()
            {
                while (!cancel.IsCancellationRequested && Volatile.Read(ref failure) is null)
                {
                    var i = Interlocked.Increment(ref next);
                    if (i >= count) return;
                    T result;
                    try
                    {
                        result = work(i);
                    }
                    catch (Exception e)
                    {
                        Interlocked.CompareExchange(ref failure, e, null);
                        return;
                    }
                    lock (gate)
                    {
                        results[i] = result;
                        finished[i] = true;
                        // Only the thread that closes the gap hands results on, so completed sees them in order.
                        while (handedOn < count && finished[handedOn])
                        {
                            completed?.Invoke(handedOn, results[handedOn]);
                            handedOn++;
                        }
                    }
                }
            }

            var threads = Math.Min(count, parallelism > 0 ? parallelism : Environment.ProcessorCount);
            if (threads <= 1) Worker();
            else
            {
                var started = new Thread[threads - 1];
                for (var t = 0; t < started.Length; t++)
                {
                    // Dedicated threads: each job blocks on its simulated CPUs' handoffs, which must not starve the pool.
                    started[t] = new Thread(Worker) { IsBackground = true, Name = "exploration" };
                    started[t].Start();
                }
                Worker();
                foreach (var thread in started) thread.Join();
            }
            if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
            var prefix = new List<T>(handedOn);
            for (var i = 0; i < handedOn; i++) prefix.Add(results[i]);
            return prefix;
        }
    }
}
