using System;

namespace Shootdown.Simulation
{
    /// <summary>
    /// The fast GUP of an architecture without <c>HAVE_GUP_FAST</c>: <c>gup_fast()</c> returns 0 and every page goes
    /// through the slow path under the mmap lock.
    /// </summary>
    public readonly struct NoFastGup : IFastGup<NoFastGup>
    {
        /// <summary>Pins nothing: there is no lockless walker.</summary>
        public static int GupFast(Cpu cpu, Mm mm, ulong start, bool write, Span<int> pages) => 0;
    }
}
