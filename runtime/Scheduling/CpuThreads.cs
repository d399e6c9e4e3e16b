using System;
using System.Collections.Concurrent;
using System.Threading;

namespace Shootdown.Simulation
{
    /// <summary>
    /// Threads that carry the CPU tasks of controlled runs, kept between runs. A controlled run used to start one new
    /// OS thread per CPU per execution; an exploration runs thousands of short executions, and thread creation and exit
    /// cost more than the execution itself. A worker runs one task body, then goes back to the pool. A worker whose body
    /// never returns (a hung run) is simply never given back.
    /// </summary>
    internal static class CpuThreads
    {
        private static readonly ConcurrentBag<Worker> Idle = new();

        /// <summary>Runs <paramref name="body"/> on a pooled background thread; the thread is back in the pool when it returns.</summary>
        public static void Start(Action body)
        {
            if (!Idle.TryTake(out var worker)) worker = new Worker();
            worker.Give(body);
        }

        private sealed class Worker
        {
            private readonly SemaphoreSlim _start = new(0);
            private Action? _body;

            public Worker()
            {
                var thread = new Thread(Loop) { IsBackground = true, Name = "cpu" };
                thread.Start();
            }

            public void Give(Action body)
            {
                Volatile.Write(ref _body, body);
                _start.Release();
            }

            private void Loop()
            {
                while (true)
                {
                    _start.Wait();
                    var body = Volatile.Read(ref _body)!;
                    _body = null;
                    body();
                    Idle.Add(this);
                }
            }
        }
    }
}
