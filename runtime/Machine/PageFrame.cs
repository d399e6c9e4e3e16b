namespace Shootdown.Simulation
{
    /// <summary>What a frame is used for; also the kind of allocation a fault can be injected into.</summary>
    public enum FrameUse : byte
    {
        /// <summary>On the free list.</summary>
        Free,
        /// <summary>A user data page.</summary>
        Data,
        /// <summary>A page-table page (possibly holding several fragments).</summary>
        PageTable,
        /// <summary>A page-batch page of a gather (<c>mmu_gather_batch</c>).</summary>
        GatherBatch,
        /// <summary>A table-batch page (<c>mmu_table_batch</c>).</summary>
        TableBatch,
    }

    /// <summary>The state of one physical page frame (<c>struct page</c>).</summary>
    public struct PageFrame
    {
        /// <summary>What the frame holds.</summary>
        public FrameUse Use;
        /// <summary>References (<c>page_ref_count</c>); kept on the head of a compound page.</summary>
        /// <remarks>
        /// Held as two counts: references taken (raised atomically, by <c>get_page</c> and the lockless
        /// <c>try_get_folio</c>) less references put (changed only under the allocator lock, which every put holds).
        /// A put that leaves references is then a plain store; only the put to zero needs an atomic, to fence off a
        /// racing speculative reference (<c>put_page_testzero</c>).
        /// </remarks>
        public readonly int RefCount => Taken - Put;

        // Raised outside the allocator lock only by atomic increments; set to 0 by the put to zero (a compare-and-swap,
        // so a speculative reference either lands first or fails) and reset under the lock on allocation.
        internal int Taken;

        // Written only under the allocator lock.
        internal int Put;
        /// <summary>Mappings in page tables (<c>page_mapcount</c>); kept on the head of a compound page.</summary>
        public int MapCount;
        /// <summary>
        /// The frame's owner generation: bumped on every free, so each allocation has its own and a stale pointer or
        /// translation can tell the frame was reused.
        /// </summary>
        public int Incarnation;

        /// <summary>Compound order: the head of a 2^Order-page huge page; -1 on its tails.</summary>
        public int Order;
        /// <summary>On a tail, the head's frame number.</summary>
        public int Head;
    }
}
