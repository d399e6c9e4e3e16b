namespace Shootdown.Simulation
{
    /// <summary>
    /// A pointer to one page table: its frame, which fragment of the frame, and the frame's incarnation when the pointer
    /// was taken, so a walker holding it can tell the table was freed or reused under it.
    /// </summary>
    public readonly record struct TableRef(int Pfn, int Fragment, int Incarnation)
    {
        /// <summary>No table.</summary>
        public static TableRef None => default;

        /// <summary>True when this points nowhere.</summary>
        public bool IsNone => Pfn == 0;

        /// <inheritdoc/>
        public override string ToString() => Fragment == 0 ? $"table@{Pfn}" : $"table@{Pfn}.{Fragment}";
    }
}
