using Shootdown.Generator.Model;

namespace Shootdown.Generator.Emit
{
    /// <summary>
    /// Emits <c>struct mmu_gather</c> and its operations (include/asm-generic/tlb.h, mm/mmu_gather.c) with every
    /// configuration decision taken here, at generation time: the emitted code never tests a descriptor property.
    /// </summary>
    internal static class MmuGatherEmitter
    {
        public static string Emit(ArchitectureModel model)
        {
            var d = model.Descriptor;
            var w = PartialFrame.Open(model);
            w.Line("/// <summary>");
            w.Line("/// <c>struct mmu_gather</c> of " + DescriptorEmitter.Xml(d.Name) + ", specialized for its configuration: unhook, invalidate, then free.");
            w.Line("/// </summary>");
            w.Line("/// <remarks>");
            foreach (var sentence in Configuration.Explain(d)) w.Line("/// <para>" + DescriptorEmitter.Xml(sentence) + "</para>");
            w.Line("/// </remarks>");
            w.Line(PartialFrame.GeneratedCode);
            w.Open("public partial struct MmuGather : " + Names.IMmuGather + "<MmuGather>");
            Constants(w, d);
            Fields(w, d);
            Begin(w, d);
            Vmas(w, d);
            Tracking(w, d);
            Pages(w, d);
            Tables(w, d);
            Flush(w, d);
            Finish(w, d);
            w.Close();
            return PartialFrame.Close(model, w);
        }

        private static bool NoRange(ArchDescriptor d) => d.Has(GatherOptions.NoRange);

        /// <summary>The cleared_* flag a leaf clear at <paramref name="level"/> sets.</summary>
        internal static string Cleared(int level) => level switch
        {
            0 => "_clearedPtes",
            1 => "_clearedPmds",
            2 => "_clearedPuds",
            _ => "_clearedP4ds",
        };

        /// <summary>
        /// The gather keeps <c>need_flush_all</c>: a PMD table can be freed on a <see cref="ArchDescriptor.PmdFreeFlushesAll"/>
        /// arch, and something reads the flag (a range flush, or tlb_change_page_size; MMU_GATHER_NO_RANGE flushes the
        /// whole mm anyway).
        /// </summary>
        private static bool NeedFlushAll(ArchDescriptor d) =>
            d.PmdFreeFlushesAll && d.Levels >= 3 && (!NoRange(d) || d.Has(GatherOptions.PageSize));

        /// <summary>Levels whose cleared_* flag can ever be set: leaves at 0..2 and entries pointing at freed tables.</summary>
        private static int ClearedLevels(ArchDescriptor d) => System.Math.Min(d.Levels, 4);

        private static void Constants(SourceWriter w, ArchDescriptor d)
        {
            w.Line("/// <summary>The architecture's page size (PAGE_SIZE).</summary>");
            w.Line("public const ulong PageSize = " + d.PageSize + ";");
            if (!d.Has(GatherOptions.NoGather))
            {
                var ptr = d.WordBits / 8;
                w.Line($"// MAX_GATHER_BATCH = (PAGE_SIZE - sizeof(struct mmu_gather_batch)) / sizeof(void *) = ({d.PageSize} - {ptr + 8}) / {ptr}");
                w.Line("private const int MaxGatherBatch = " + GatherGeometry.MaxGatherBatch(d) + ";");
                w.Line("// MAX_GATHER_BATCH_COUNT = 10000UL / MAX_GATHER_BATCH: bounds the memory one gather can hold back.");
                w.Line("private const int MaxGatherBatchCount = " + GatherGeometry.MaxGatherBatchCount(d) + ";");
                PageBatchEmitter.Constants(w);
            }
            if (!NoRange(d))
            {
                w.Line("// TASK_SIZE: an empty range is [TASK_SIZE, 0).");
                w.Line("private const ulong TaskSize = 0x" + (1UL << GatherGeometry.AddressBits(d)).ToString("x") + "UL;");
            }
            w.Line();
        }

        private static void Fields(SourceWriter w, ArchDescriptor d)
        {
            w.Line("private " + Names.Cpu + " _cpu;");
            w.Line("private " + Names.Mm + " _mm;");
            w.Line("private bool _fullmm;");
            if (!NoRange(d))
            {
                w.Line("private ulong _start;");
                w.Line("private ulong _end;");
            }
            w.Line("private bool _freedTables;");
            for (var level = 0; level < ClearedLevels(d); level++) w.Line("private bool " + Cleared(level) + ";");
            if (d.Has(GatherOptions.MergeVmas))
            {
                w.Line("// vma_pfn: a VM_PFNMAP/VM_MIXEDMAP VMA was seen; tlb_free_vmas flushes before such a VMA is unlinked. Cleared only by Begin.");
                w.Line("private bool _vmaPfn;");
            }
            if (NeedFlushAll(d))
            {
                w.Line("// need_flush_all: a PMD table was freed (x86 PAE ___pmd_free_tlb); only Begin clears it.");
                w.Line("private bool _needFlushAll;");
            }
            if (d.Has(GatherOptions.PageSize)) w.Line("private ulong _pageSize;");
            if (!d.Has(GatherOptions.NoGather)) PageBatchEmitter.Fields(w);
            if (d.Has(GatherOptions.TableFree))
            {
                w.Line("// tlb->batch: the table batch (see the TableBatch part); all fields stay in this part of the struct.");
                w.Line("private " + Names.TableBatch + "? _tableBatch;");
            }
            w.Line();
        }

        private static void Begin(SourceWriter w, ArchDescriptor d)
        {
            w.Line("/// <summary><c>tlb_gather_mmu</c>, or <c>tlb_gather_mmu_fullmm</c> when <paramref name=\"fullmm\"/>.</summary>");
            w.Line("/// <param name=\"cpu\">The CPU doing the teardown.</param>");
            w.Line("/// <param name=\"mm\">The address space being torn down.</param>");
            w.Line("/// <param name=\"fullmm\">The whole address space goes away (exit, exec).</param>");
            w.Line("/// <returns>The gather, with <c>tlb_flush_pending</c> raised on <paramref name=\"mm\"/>.</returns>");
            w.Open("public static MmuGather Begin(" + Names.Cpu + " cpu, " + Names.Mm + " mm, bool fullmm)");
            w.Line("MmuGather tlb = new MmuGather();");
            w.Line("tlb._cpu = cpu;");
            w.Line("tlb._mm = mm;");
            w.Line("tlb._fullmm = fullmm;");
            if (!d.Has(GatherOptions.NoGather)) PageBatchEmitter.Begin(w);
            w.Line("tlb.ResetRange();");
            w.Line("mm.IncFlushPending();");
            w.Line("cpu.Machine.Trace.Record(" + Names.EventKind + ".GatherStart, cpu.Id, fullmm ? 1UL : 0UL);");
            w.Line("return tlb;");
            w.Close();
            w.Line();

            w.Line("/// <inheritdoc/>");
            w.Line("public readonly bool FullMm => _fullmm;");
            w.Line();
            w.Line("// __tlb_reset_range: the vma_* fields stay, vma_pfn too: tlb_start_vma() is not called again after an intermediate flush.");
            w.Open("private void ResetRange()");
            if (!NoRange(d))
            {
                w.Open("if (_fullmm)");
                w.Line("_start = _end = ulong.MaxValue;");
                w.Close();
                w.Open("else");
                w.Line("_start = TaskSize;");
                w.Line("_end = 0;");
                w.Close();
            }
            w.Line("_freedTables = false;");
            for (var level = 0; level < ClearedLevels(d); level++) w.Line(Cleared(level) + " = false;");
            w.Close();
            w.Line();
        }

        private static void Vmas(SourceWriter w, ArchDescriptor d)
        {
            w.Line("/// <inheritdoc/>");
            w.Open("public void StartVma(" + Names.Vma + " vma)");
            w.Line("if (_fullmm) return;");
            if (d.Has(GatherOptions.MergeVmas))
                w.Line("_vmaPfn |= (vma.Flags & (" + Names.VmaFlags + ".PfnMap | " + Names.VmaFlags + ".MixedMap)) != 0; // tlb_update_vma_flags");
            if (d.Has(GatherOptions.NoFlushCache))
                w.Line("// MMU_GATHER_NO_FLUSH_CACHE: no flush_cache_range().");
            else
                w.Line("_cpu.Machine.Trace.Record(" + Names.EventKind + ".CacheFlush, _cpu.Id, vma.Start, vma.End);");
            w.Close();
            w.Line();
            w.Line("/// <inheritdoc/>");
            w.Open("public void EndVma(" + Names.Vma + " vma)");
            if (d.Has(GatherOptions.MergeVmas))
            {
                w.Line("// MMU_GATHER_MERGE_VMAS: no flush at the VMA boundary; one flush covers adjacent VMAs.");
            }
            else
            {
                w.Line("if (_fullmm) return;");
                w.Line("// Flush at the VMA boundary so the range does not grow across the gap to the next VMA.");
                w.Line("FlushMmuTlbOnly();");
            }
            w.Close();
            w.Line();
            w.Line("/// <inheritdoc/>");
            w.Open("public void FreeVmas()");
            if (d.Has(GatherOptions.MergeVmas))
            {
                w.Line("if (_fullmm) return;");
                w.Line("// tlb_free_vmas: VM_PFNMAP/VM_MIXEDMAP pages have no mapcount to go by; once the VMA is unlinked");
                w.Line("// unmap_mapping_range no longer sees it and could return before this gather's invalidate, so a pending one goes now.");
                w.Line("if (_vmaPfn) FlushMmuTlbOnly();");
            }
            else
            {
                w.Line("// tlb_free_vmas has nothing to do: tlb_end_vma already flushed at every VMA boundary, so no invalidate is pending.");
            }
            w.Close();
            w.Line();
        }

        private static void Tracking(SourceWriter w, ArchDescriptor d)
        {
            if (!NoRange(d))
            {
                w.Line("// __tlb_adjust_range. This and the other per-page members are static inline in Linux's tlb.h: no call per page.");
                w.Line(Names.Inline);
                w.Open("private void AdjustRange(ulong address, ulong size)");
                w.Line("if (address < _start) _start = address;");
                w.Line("if (address + size > _end) _end = address + size;");
                w.Close();
                w.Line();
            }
            var adjust = NoRange(d) ? "" : "AdjustRange(address, {0}); ";
            w.Line("/// <inheritdoc/>");
            w.Line(Names.Inline);
            w.Open("public void RemoveTlbEntry(int level, ulong address)");
            w.Open("switch (level)");
            var leafLevels = System.Math.Min(d.Levels, 3);
            for (var level = 0; level < leafLevels; level++)
            {
                var size = level == 0 ? "PageSize" : "0x" + (1UL << GatherGeometry.LevelShift(d, level)).ToString("x") + "UL";
                var name = level switch { 0 => "tlb_remove_tlb_entry", 1 => "tlb_remove_pmd_tlb_entry", _ => "tlb_remove_pud_tlb_entry" };
                w.Line($"case {level}: {string.Format(adjust, size)}{Cleared(level)} = true; break; // {name}");
            }
            w.Line("default: throw new global::System.ArgumentOutOfRangeException(nameof(level), level, \"no leaf entries at this level\");");
            w.Close();
            w.Close();
            w.Line();
            w.Line("/// <inheritdoc/>");
            w.Open("public void ChangePageSize(ulong pageSize)");
            if (d.Has(GatherOptions.PageSize))
            {
                w.Line("// tlb_change_page_size: MMU_GATHER_PAGE_SIZE flushes before the batch mixes page sizes.");
                w.Line("if (_pageSize != 0 && _pageSize != pageSize && !_fullmm" + (NeedFlushAll(d) ? " && !_needFlushAll" : "") + ") FlushMmu();");
                w.Line("_pageSize = pageSize;");
            }
            else
            {
                w.Line("// Without MMU_GATHER_PAGE_SIZE a change of page size needs nothing.");
            }
            w.Close();
            w.Line();
        }

        private static void Pages(SourceWriter w, ArchDescriptor d)
        {
            w.Line("/// <inheritdoc/>");
            w.Line(Names.Inline);
            w.Open("public bool RemovePage(int pfn, ulong pageSize)");
            if (d.Has(GatherOptions.NoGather))
            {
                w.Line("// MMU_GATHER_NO_GATHER: the PTE clear already invalidated every CPU, so the page goes at once.");
                w.Line("_cpu.Machine.Memory.Put(pfn, _cpu.Id);");
                w.Line("return false;");
            }
            else
            {
                w.Line("return QueuePage(pfn);");
            }
            w.Close();
            w.Line();
            if (!d.Has(GatherOptions.NoGather)) PageBatchEmitter.Methods(w);
        }

        private static void Tables(SourceWriter w, ArchDescriptor d)
        {
            w.Line("/// <inheritdoc/>");
            w.Open("public void FreeTable(int level, " + Names.TableRef + " table, ulong address)");
            w.Open("switch (level)");
            for (var level = 0; level < d.Levels - 1; level++)
            {
                var name = level switch { 0 => "pte_free_tlb", 1 => "pmd_free_tlb", 2 => "pud_free_tlb", _ => "p4d_free_tlb" };
                var adjust = NoRange(d) ? "" : "AdjustRange(address, PageSize); ";
                var cleared = level < 3 ? Cleared(level + 1) + " = true; " : "";
                var flushAll = level == 1 && NeedFlushAll(d) ? "_needFlushAll = true; " : "";
                w.Line($"case {level}: {adjust}{cleared}{flushAll}break; // {name}");
            }
            w.Line("default: throw new global::System.ArgumentOutOfRangeException(nameof(level), level, \"no freeable tables at this level\");");
            w.Close();
            w.Line("_freedTables = true;");
            if (d.Has(GatherOptions.TableFree))
            {
                w.Line("RemoveTable(table);");
            }
            else
            {
                w.Line("// Without MMU_GATHER_TABLE_FREE a page table is a page: tlb_remove_page().");
                w.Line("if (QueuePage(table.Pfn)) FlushMmu();");
            }
            w.Close();
            w.Line();
        }

        private static void Flush(SourceWriter w, ArchDescriptor d)
        {
            w.Line("/// <summary><c>tlb_flush_mmu_tlbonly</c>: invalidate, but only if something was cleared or freed.</summary>");
            w.Open("public void FlushMmuTlbOnly()");
            var any = "_freedTables";
            for (var level = 0; level < ClearedLevels(d); level++) any += " || " + Cleared(level);
            w.Line("if (!(" + any + ")) return;");
            w.Line("global::Shootdown.Simulation.TlbShootdown shootdown = _cpu.Machine.Shootdown;");
            if (d.GlobalAsidBroadcast)
            {
                w.Line("// x86 flush_tlb_mm_range: an mm with a global ASID is flushed by INVLPGB (broadcast_tlb_flush), others by IPIs.");
                w.Line("bool broadcast = _mm.GlobalAsid;");
            }
            var lazy = d.FullMmFlush != FullMmFlush.FlushMm;
            if (lazy)
                w.Line(d.FullMmFlush == FullMmFlush.Lazy
                    ? "// s390 tlb_flush is __tlb_flush_mm_lazy: under fullmm only a freed table (mm->context.flush_mm) is flushed."
                    : "// arm64 tlb_flush: under fullmm only the walk cache matters (the ASID is not reused before a full TLB flush).");
            if (NoRange(d))
            {
                w.Line("// MMU_GATHER_NO_RANGE: every flush is of the whole mm.");
                Call(w, d, lazy ? "if (!_fullmm || _freedTables)" : null, "Mm", "_cpu, _mm");
            }
            else
            {
                if (NeedFlushAll(d)) w.Line("// need_flush_all: x86 tlb_flush() is flush_tlb_mm_range(mm, 0, TLB_FLUSH_ALL, ...) then.");
                var all = "_fullmm" + (NeedFlushAll(d) ? " || _needFlushAll" : "");
                if (lazy)
                {
                    w.Open("if (_fullmm)");
                    Call(w, d, "if (_freedTables)", "Mm", "_cpu, _mm");
                    w.Close();
                    if (NeedFlushAll(d)) Call(w, d, "else if (_needFlushAll)", "Mm", "_cpu, _mm");
                }
                else
                {
                    Call(w, d, "if (" + all + ")", "Mm", "_cpu, _mm");
                }
                Call(w, d, "else if (_end != 0)", "Range", "_cpu, _mm, _start, _end, _freedTables");
            }
            w.Line("ResetRange();");
            w.Close();
            w.Line();
            w.Line("/// <inheritdoc/>");
            w.Open("public void FlushMmu()");
            w.Line("FlushMmuTlbOnly();");
            if (d.Has(GatherOptions.TableFree)) w.Line("TableFlush();");
            if (!d.Has(GatherOptions.NoGather)) w.Line("FreePages();");
            w.Close();
            w.Line();
        }

        // shootdown.Flush<what>By<mechanism>(args) under an optional condition; with GlobalAsidBroadcast both mechanisms, the
        // local "broadcast" choosing, so each path is a direct call.
        private static void Call(SourceWriter w, ArchDescriptor d, string? condition, string what, string args)
        {
            if (!d.GlobalAsidBroadcast)
            {
                var call = "shootdown.Flush" + what + (d.Invalidation == Invalidation.Ipi ? "ByIpi" : "ByBroadcast") + "(" + args + ");";
                w.Line(condition is null ? call : condition + " " + call);
                return;
            }
            if (condition != null) w.Open(condition);
            w.Line("if (broadcast) shootdown.Flush" + what + "ByBroadcast(" + args + ");");
            w.Line("else shootdown.Flush" + what + "ByIpi(" + args + ");");
            if (condition != null) w.Close();
        }

        private static void Finish(SourceWriter w, ArchDescriptor d)
        {
            w.Line("/// <inheritdoc/>");
            w.Open("public void Finish()");
            w.Line("// Another gather on this mm (munmap racing MADV_DONTNEED under the read lock) may have left stale entries:");
            w.Line("// flush everything, and keep freed_tables so walk caches go too (7a30df49f63a).");
            w.Open("if (_mm.FlushNested)");
            w.Line("_fullmm = true;");
            w.Line("ResetRange();");
            w.Line("_freedTables = true;");
            w.Close();
            w.Line("FlushMmu();");
            if (!d.Has(GatherOptions.NoGather)) w.Line("ReleaseBatches();");
            w.Line("_mm.DecFlushPending();");
            w.Line("_cpu.Machine.Trace.Record(" + Names.EventKind + ".GatherFinish, _cpu.Id);");
            w.Close();
        }
    }
}
