using System.Collections.Generic;
using System.Threading;

namespace Shootdown.Simulation
{
    /// <summary>
    /// Managed objects that stand for pages the kernel allocates and frees over and over (gather batch pages, table batch
    /// pages), kept per machine once their page is free so that steady-state teardown allocates nothing. The simulated
    /// page is still taken from and returned to <see cref="PhysicalMemory"/> every time; only the object is reused.
    /// </summary>
    /// <typeparam name="T">The kind of object.</typeparam>
    internal sealed class SparePool<T> where T : class
    {
        private readonly Lock _lock = new();
        private readonly Stack<(int Size, T Item)> _spare = new();

        /// <summary>The most recently given spare if it was given with <paramref name="size"/>, or null.</summary>
        public T? Take(int size)
        {
            lock (_lock)
            {
                if (_spare.Count == 0 || _spare.Peek().Size != size) return null;
                return _spare.Pop().Item;
            }
        }

        /// <summary>Keeps <paramref name="item"/> of <paramref name="size"/>, which nobody uses any more, for a later <see cref="Take"/>.</summary>
        public void Give(T item, int size)
        {
            lock (_lock) _spare.Push((size, item));
        }
    }
}
