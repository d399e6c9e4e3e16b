namespace Shootdown.Generator.Emit
{
    /// <summary>
    /// Emits the page batches of <c>struct mmu_gather</c> (<c>tlb->local</c>, <c>tlb->active</c>, <c>batch_count</c>)
    /// into the generated gather, sized by the architecture's <c>MAX_GATHER_BATCH</c> and <c>MAX_GATHER_BATCH_COUNT</c>.
    /// Only for descriptors without MMU_GATHER_NO_GATHER.
    /// </summary>
    /// <remarks>
    /// The batches are laid end to end in one array rented for the gather: the bundle, then every batch page's entries,
    /// then the frames of the batch pages. Batches fill in order and a flush empties them all, so "page i of the gather"
    /// is simply index i, and the active batch is where the next one ends.
    /// </remarks>
    internal static class PageBatchEmitter
    {
        public static void Constants(SourceWriter w)
        {
            w.Line("// MMU_GATHER_BUNDLE: the batch inside the gather itself, used before any batch page is allocated.");
            w.Line("private const int Bundle = " + GatherGeometry.Bundle + ";");
            w.Line("// A batch counts as full one entry early (nr >= max - 1 in __tlb_remove_folio_pages_size).");
            w.Line("private const int PagesCapacity = Bundle - 1 + MaxGatherBatchCount * (MaxGatherBatch - 1);");
        }

        public static void Fields(SourceWriter w)
        {
            w.Line("// The bundle and the batch pages end to end, then the frames of the batch pages (the machine's, for this gather).");
            w.Line("private int[] _pages;");
            w.Line("private int _nr; // pages queued, over every batch");
            w.Line("private int _activeEnd; // where tlb->active is full");
            w.Line("private int _batchesReached; // batch pages the queued pages reached since the last flush");
            w.Line("private int _batchCount; // tlb->batch_count: batch pages taken from the allocator");
            w.Line("// The machine's event trace, looked up once for the per-page event rather than through the CPU on every page.");
            w.Line("private " + Names.EventTrace + " _trace;");
        }

        public static void Begin(SourceWriter w)
        {
            w.Line("tlb._pages = cpu.Machine.RentGatherSlots(PagesCapacity + MaxGatherBatchCount);");
            w.Line("tlb._activeEnd = Bundle - 1;");
            w.Line("tlb._trace = cpu.Machine.Trace;");
        }

        public static void Methods(SourceWriter w)
        {
            w.Line("// __tlb_remove_folio_pages_size: queue the page; at the end of the active batch move on to the next");
            w.Line("// (tlb_next_batch). True when there is none and the caller must flush before queueing more.");
            w.Line(Names.Inline);
            w.Open("private bool QueuePage(int pfn)");
            w.Line("_pages[_nr++] = pfn;");
            w.Line("// Recording is usually off: test it before the event's arguments are loaded.");
            w.Line("if (_trace.Enabled) _trace.Record(" + Names.EventKind + ".PageBatched, _cpu.Id, (ulong)pfn);");
            w.Line("return _nr == _activeEnd && !NextBatch();");
            w.Close();
            w.Line();
            w.Line("// tlb_next_batch: a batch page kept from an earlier flush of this gather, else a new one from the allocator");
            w.Line("// (GFP_NOWAIT: it may fail), at most MAX_GATHER_BATCH_COUNT of them.");
            w.Open("private bool NextBatch()");
            w.Open("if (_batchesReached == _batchCount)");
            w.Line("if (_batchCount == MaxGatherBatchCount) return false;");
            w.Line("int frame = _cpu.Machine.Memory.TryAllocate(" + Names.FrameUse + ".GatherBatch, _cpu.Id);");
            w.Line("if (frame == 0) return false;");
            w.Line("_pages[PagesCapacity + _batchCount++] = frame;");
            w.Line("_trace.Record(" + Names.EventKind + ".BatchAllocated, _cpu.Id, (ulong)frame);");
            w.Close();
            w.Line("_batchesReached++;");
            w.Line("_activeEnd += MaxGatherBatch - 1;");
            w.Line("return true;");
            w.Close();
            w.Line();
            w.Line("// tlb_batch_pages_flush: free_pages_and_swap_cache on each batch in turn (the bundle, then every batch page");
            w.Line("// reached), dropping the gather's reference on every queued page; then back to the bundle.");
            w.Open("private void FreePages()");
            w.Line("global::Shootdown.Simulation.PhysicalMemory memory = _cpu.Machine.Memory;");
            w.Open("for (int at = 0, end = Bundle - 1; at < _nr; at = end, end += MaxGatherBatch - 1)");
            w.Line("memory.PutPages(new global::System.ReadOnlySpan<int>(_pages, at, global::System.Math.Min(end, _nr) - at), _cpu.Id);");
            w.Close();
            w.Line("_nr = 0;");
            w.Line("_batchesReached = 0;");
            w.Line("_activeEnd = Bundle - 1;");
            w.Close();
            w.Line();
            w.Line("// tlb_batch_list_free: the batch pages go back to the allocator, in the order they were taken.");
            w.Open("private void ReleaseBatches()");
            w.Line("global::Shootdown.Simulation.PhysicalMemory memory = _cpu.Machine.Memory;");
            w.Line("for (int i = 0; i < _batchCount; i++) memory.Free(_pages[PagesCapacity + i], _cpu.Id);");
            w.Line("_batchCount = 0;");
            w.Line("_cpu.Machine.ReturnGatherSlots(_pages);");
            w.Line("_pages = null!;");
            w.Close();
            w.Line();
        }
    }
}
