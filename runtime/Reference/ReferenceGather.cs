using System;
using Shootdown.Simulation;

namespace Shootdown.Reference
{
    /// <summary>
    /// The executable specification of <c>struct mmu_gather</c> (include/asm-generic/tlb.h, mm/mmu_gather.c): one gather
    /// for every descriptor, reading <c>cpu.Machine.Descriptor</c> at run time and taking each configuration branch the
    /// way the Kconfig <c>#ifdef</c>s do. Generated gathers must produce the same event trace for the same descriptor.
    /// </summary>
    public partial struct ReferenceGather : IMmuGather<ReferenceGather>
    {
        private Cpu _cpu;
        private Mm _mm;
        private ArchDescriptor _d;
        private ulong _taskSize;
        private bool _fullmm;
        private ulong _start;
        private ulong _end;
        private bool _freedTables;
        private bool _clearedPtes;
        private bool _clearedPmds;
        private bool _clearedPuds;
        private bool _clearedP4ds;
        private bool _vmaExec;
        private bool _vmaHuge;
        private bool _vmaPfn;
        private bool _needFlushAll;
        private ulong _pageSize;
        private PageBatches? _pages;
        private TableBatch? _tableBatch;
        private Fault _faults;     // the mutation suite's bugs (docs/mutation.md), none outside it
        private bool _atVmaEnd;    // FlushOnlyAtVmaEnd: tlb_flush() is being called from tlb_end_vma
        private ulong _spanStart;  // NestedFlushDropsFreedTables: the VMAs seen, for tlb_finish_mmu's [start, end)
        private ulong _spanEnd;

        /// <summary>True when this is a <c>tlb_gather_mmu_fullmm</c> gather, or a nested finish forced it.</summary>
        public readonly bool FullMm => _fullmm;

        /// <summary><c>tlb->freed_tables</c>.</summary>
        public readonly bool FreedTables => _freedTables;

        /// <summary>The pending range [<c>tlb->start</c>, <c>tlb->end</c>); empty is [TASK_SIZE, 0), fullmm is [~0, ~0).</summary>
        public readonly (ulong Start, ulong End) Range => (_start, _end);

        /// <summary><c>tlb->cleared_ptes</c>, <c>cleared_pmds</c>, <c>cleared_puds</c>, <c>cleared_p4ds</c>.</summary>
        public readonly (bool Ptes, bool Pmds, bool Puds, bool P4ds) Cleared => (_clearedPtes, _clearedPmds, _clearedPuds, _clearedP4ds);

        /// <summary>
        /// <c>tlb->vma_exec</c>, <c>vma_huge</c> as the last <c>tlb_start_vma</c> left them; <c>vma_pfn</c>: any
        /// VM_PFNMAP/VM_MIXEDMAP VMA since <c>tlb_gather_mmu</c>, flushes or not.
        /// </summary>
        public readonly (bool Exec, bool Huge, bool Pfn) VmaFlags => (_vmaExec, _vmaHuge, _vmaPfn);

        /// <summary><c>tlb->need_flush_all</c>: a PMD table was freed on a <see cref="ArchDescriptor.PmdFreeFlushesAll"/> arch.</summary>
        public readonly bool NeedFlushAll => _needFlushAll;

        /// <summary><c>tlb->page_size</c> (MMU_GATHER_PAGE_SIZE only; 0 before the first page).</summary>
        public readonly ulong PageSize => _pageSize;

        /// <summary>Batch pages allocated (<c>tlb->batch_count</c>); 0 with MMU_GATHER_NO_GATHER.</summary>
        public readonly int BatchCount => _pages?.BatchCount ?? 0;

        /// <summary>Pages queued and not yet freed.</summary>
        public readonly int QueuedPages => _pages?.Queued ?? 0;

        /// <summary>
        /// <c>tlb_gather_mmu</c>, or <c>tlb_gather_mmu_fullmm</c> when <paramref name="fullmm"/>: reset everything, then
        /// raise <c>mm->tlb_flush_pending</c>.
        /// </summary>
        /// <exception cref="NotSupportedException">The descriptor breaks a Kconfig dependency Linux refuses to build.</exception>
        public static ReferenceGather Begin(Cpu cpu, Mm mm, bool fullmm)
        {
            ArgumentNullException.ThrowIfNull(cpu);
            ArgumentNullException.ThrowIfNull(mm);
            var d = cpu.Machine.Descriptor;
            if (d.Has(GatherOptions.NoGather) && !d.Has(GatherOptions.TableFree))
                throw new NotSupportedException($"{d.Name}: MMU_GATHER_NO_GATHER depends on MMU_GATHER_TABLE_FREE ({DescriptorRules.NoGatherWithoutTableFree})");
            if (d.Has(GatherOptions.NoTableInvalidate) && !d.Has(GatherOptions.RcuTableFree))
                throw new NotSupportedException($"{d.Name}: MMU_GATHER_NO_TABLE_INVALIDATE requires MMU_GATHER_RCU_TABLE_FREE ({DescriptorRules.NoTableInvalidateWithoutRcu})");
            var tlb = new ReferenceGather
            {
                _cpu = cpu,
                _mm = mm,
                _d = d,
                _taskSize = cpu.Machine.Geometry.TaskSize,
                _fullmm = fullmm,
                _faults = cpu.Machine.Faults,
            };
            // __tlb_gather_mmu: the on-stack bundle first, batch pages of MAX_GATHER_BATCH later, at most
            // MAX_GATHER_BATCH_COUNT of them; none of it exists with MMU_GATHER_NO_GATHER.
            if (!d.Has(GatherOptions.NoGather))
                tlb._pages = PageBatches.Rent(cpu.Machine, GatherGeometry.MaxGatherBatch(d), GatherGeometry.MaxGatherBatchCount(d));
            tlb._tableBatch = null; // tlb_table_init
            tlb._pageSize = 0;
            tlb._vmaPfn = false; // __tlb_gather_mmu: the one place vma_pfn is cleared
            tlb._needFlushAll = false; // likewise need_flush_all: no flush clears it
            tlb.ResetRange();
            mm.IncFlushPending();
            cpu.Machine.Trace.Record(EventKind.GatherStart, cpu.Id, fullmm ? 1UL : 0UL);
            return tlb;
        }

        // __tlb_reset_range. The vma_* fields stay: tlb_start_vma() is not called again after an intermediate flush, so a
        // reset vma_pfn would let tlb_free_vmas skip the PTEs a VM_PFNMAP/VM_MIXEDMAP VMA cleared after that flush. Linux
        // clears vma_pfn only in __tlb_gather_mmu ("mmu_gather: move tlb flush for VM_PFNMAP/VM_MIXEDMAP vmas into
        // free_pgtables()", v6 of 2025-05-22: "tlb->vma_pfn is initialized in __tlb_gather_mmu() and is never cleared";
        // v3 to v5 had reset it here).
        private void ResetRange()
        {
            if (_fullmm)
            {
                _start = _end = ulong.MaxValue;
            }
            else
            {
                _start = _taskSize;
                _end = 0;
            }
            _freedTables = false;
            _clearedPtes = _clearedPmds = _clearedPuds = _clearedP4ds = false;
        }

        /// <inheritdoc/>
        public void StartVma(Vma vma)
        {
            ArgumentNullException.ThrowIfNull(vma);
            if (_fullmm) return;
            if (_faults != Fault.None && (_spanEnd == 0 || vma.Start < _spanStart)) _spanStart = vma.Start;
            if (_faults != Fault.None && vma.End > _spanEnd) _spanEnd = vma.End;
            // tlb_update_vma_flags
            _vmaHuge = (vma.Flags & Simulation.VmaFlags.Huge) != 0;
            _vmaExec = (vma.Flags & Simulation.VmaFlags.Exec) != 0;
            _vmaPfn |= (vma.Flags & (Simulation.VmaFlags.PfnMap | Simulation.VmaFlags.MixedMap)) != 0; // any such VMA in this gather
            if (!_d.Has(GatherOptions.NoFlushCache))
                _cpu.Machine.Trace.Record(EventKind.CacheFlush, _cpu.Id, vma.Start, vma.End); // flush_cache_range
        }

        /// <inheritdoc/>
        public void EndVma(Vma vma)
        {
            ArgumentNullException.ThrowIfNull(vma);
            if (_fullmm) return;
            if (Faulty(Fault.FlushOnlyAtVmaEnd))
            {
                // Before 6137fed08232 such an architecture's tlb_end_vma() was its only range flush.
                _atVmaEnd = true;
                FlushMmuTlbOnly();
                _atVmaEnd = false;
                return;
            }
            if (_d.Has(GatherOptions.MergeVmas)) return;
            // Flush at the boundary so the range does not grow over the gap to the next VMA.
            FlushMmuTlbOnly();
        }

        /// <inheritdoc/>
        public void FreeVmas()
        {
            if (_fullmm) return;
            // VM_PFNMAP/VM_MIXEDMAP pages have no mapcount to go by: once the VMA is unlinked, unmap_mapping_range no
            // longer sees it and may return before this gather's invalidate, so a pending one goes now. vma_pfn is sticky,
            // so this also flushes what was cleared after an intermediate flush; with nothing pending it is a no-op.
            if (_vmaPfn) FlushMmuTlbOnly();
        }

        // __tlb_adjust_range: kept even with MMU_GATHER_NO_RANGE, whose tlb_flush() still tests tlb->end.
        private void AdjustRange(ulong address, ulong size)
        {
            if (address < _start) _start = address;
            if (address + size > _end) _end = address + size;
        }

        /// <inheritdoc/>
        public void RemoveTlbEntry(int level, ulong address)
        {
            var g = _cpu.Machine.Geometry;
            if (level < 0 || level >= Math.Min(_d.Levels, 3))
                throw new ArgumentOutOfRangeException(nameof(level), level, "no leaf entries at this level");
            AdjustRange(address, g.EntrySize(level)); // PAGE_SIZE, HPAGE_PMD_SIZE, HPAGE_PUD_SIZE
            switch (level)
            {
                case 0: _clearedPtes = true; break; // tlb_remove_tlb_entry
                case 1: _clearedPmds = true; break; // tlb_remove_pmd_tlb_entry
                default: _clearedPuds = true; break; // tlb_remove_pud_tlb_entry
            }
        }

        /// <inheritdoc/>
        public void ChangePageSize(ulong pageSize)
        {
            if (!_d.Has(GatherOptions.PageSize)) return;
            // tlb_change_page_size: flush before one batch mixes page sizes (not needed when everything goes, or when
            // need_flush_all makes every flush one of the whole mm anyway).
            if (_pageSize != 0 && _pageSize != pageSize && !_fullmm && !_needFlushAll) FlushMmu();
            _pageSize = pageSize;
        }

        /// <inheritdoc/>
        public bool RemovePage(int pfn, ulong pageSize)
        {
            if (_pages is null)
            {
                // MMU_GATHER_NO_GATHER (s390 __tlb_remove_page_size): the PTE clear already invalidated every CPU.
                _cpu.Machine.Memory.Put(pfn, _cpu.Id);
                return false;
            }
            return _pages.Add(pfn, _cpu.Id) | Faulty(Fault.HarmlessBatchOfOne);
        }

        /// <inheritdoc/>
        public void FreeTable(int level, TableRef table, ulong address)
        {
            if (level < 0 || level > _d.Levels - 2)
                throw new ArgumentOutOfRangeException(nameof(level), level, "no freeable tables at this level");
            if (table.IsNone) throw new ArgumentException("cannot free no table", nameof(table));
            var page = (ulong)_d.PageSize;
            AdjustRange(address, page);
            switch (level)
            {
                case 0: _clearedPmds = true; break; // pte_free_tlb: tlb_flush_pmd_range(tlb, address, PAGE_SIZE)
                case 1: // pmd_free_tlb: tlb_flush_pud_range
                    _clearedPuds = true;
                    // x86 ___pmd_free_tlb under CONFIG_X86_PAE: a changed PDPTE is noticed only on a CR3 reload.
                    if (_d.PmdFreeFlushesAll) _needFlushAll = true;
                    break;
                case 2: _clearedP4ds = true; break; // pud_free_tlb: tlb_flush_p4d_range
                default: break;                    // p4d_free_tlb: __tlb_adjust_range only
            }
            _freedTables = !Faulty(Fault.FreedTablesNotRecorded); // 285994a62c80 made arm64 invalidate here
            if (Faulty(Fault.TablesFreedBeforeFlush))
            {
                // ARM before 06824ba824b3: pte_free at once, neither batched nor waiting for the invalidate.
                _cpu.Machine.Tables.Free(table, _cpu.Id);
                TableBatch.FragmentFreed(_cpu.Machine, table, _cpu.Id);
                return;
            }

            if (_d.Has(GatherOptions.TableFree))
            {
                RemoveTable(table);
            }
            else
            {
                // Without MMU_GATHER_TABLE_FREE a page directory is a page: tlb_remove_page() through the page batch.
                if (_pages!.Add(table.Pfn, _cpu.Id)) FlushMmu();
            }
        }

        /// <summary>
        /// <c>tlb_flush_mmu_tlbonly</c>: invalidate, but only when something was cleared or freed, then reset the range.
        /// </summary>
        public void FlushMmuTlbOnly()
        {
            if (!(_freedTables || _clearedPtes || _clearedPmds || _clearedPuds || _clearedP4ds)) return;
            TlbFlush();
            ResetRange();
        }

        // tlb_flush(): MMU_GATHER_NO_RANGE flushes the whole mm for any non-empty range; otherwise fullmm or need_flush_all
        // flushes the mm (asm-generic tlb_flush: flush_tlb_mm; x86 tlb_flush: flush_tlb_mm_range(mm, 0, TLB_FLUSH_ALL, ...))
        // and a range flush carries freed_tables so walk caches go too.
        // x86 INVLPGB: flush_tlb_mm_range() broadcasts for an mm with a global ASID and sends IPIs otherwise.
        // arm64 and s390 tlb_flush() flush a fullmm gather only for freed tables (FullMmFlush).
        private readonly void TlbFlush()
        {
            var shootdown = _cpu.Machine.Shootdown;
            var ipi = _d.Invalidation == Invalidation.Ipi && !(_d.GlobalAsidBroadcast && _mm.GlobalAsid);
            if (_faults != Fault.None && FaultyFlush(shootdown, ipi)) return;
            if (_fullmm && _d.FullMmFlush != FullMmFlush.FlushMm && !_freedTables)
                return; // arm64: if (!last_level) flush_tlb_mm(); s390: __tlb_flush_mm_lazy without context.flush_mm
            if (_d.Has(GatherOptions.NoRange) || _fullmm || _needFlushAll)
            {
                if (_d.Has(GatherOptions.NoRange) && _end == 0) return;
                if (ipi) shootdown.FlushMmByIpi(_cpu, _mm);
                else shootdown.FlushMmByBroadcast(_cpu, _mm);
                return;
            }
            if (_end == 0) return;
            if (ipi) shootdown.FlushRangeByIpi(_cpu, _mm, _start, _end, _freedTables);
            else shootdown.FlushRangeByBroadcast(_cpu, _mm, _start, _end, _freedTables);
        }

        // The mutation suite's versions of tlb_flush(); true when one of them replaced it.
        private readonly bool FaultyFlush(TlbShootdown shootdown, bool ipi)
        {
            if (Faulty(Fault.FullMmSkipsTableFlush) && _fullmm) return true;
            if (Faulty(Fault.HarmlessFullMmFlush) && _end != 0)
            {
                if (ipi) shootdown.FlushMmByIpi(_cpu, _mm);
                else shootdown.FlushMmByBroadcast(_cpu, _mm);
                return true;
            }
            if (Faulty(Fault.FlushOnlyAtVmaEnd) && !_fullmm && !_atVmaEnd) return true; // tlb_flush: if (tlb->fullmm) only
            if (Faulty(Fault.RangeFlushIgnoresFreedTables) && !_fullmm && !_d.Has(GatherOptions.NoRange) && _end != 0)
            {
                // riscv tlb_flush() after c5e9b2c2ae82 and before 97cf301fa42e: freed_tables did not pick flush_tlb_mm.
                if (ipi) shootdown.FlushRangeByIpi(_cpu, _mm, _start, _end, freedTables: false);
                else shootdown.FlushRangeByBroadcast(_cpu, _mm, _start, _end, freedTables: false);
                return true;
            }
            return false;
        }

        private readonly bool Faulty(Fault fault) => (_faults & fault) != 0;

        /// <inheritdoc/>
        public void FlushMmu()
        {
            if (Faulty(Fault.FreePagesBeforeFlush)) _pages?.FreePages(_cpu.Id); // the order tlb.h forbids
            FlushMmuTlbOnly();
            // tlb_flush_mmu_free: tables first, then pages.
            if (_d.Has(GatherOptions.TableFree)) TableFlush();
            _pages?.FreePages(_cpu.Id);
        }

        /// <inheritdoc/>
        public void Finish()
        {
            // Another gather on this mm (munmap racing MADV_DONTNEED under the read lock) may have left entries
            // batched but not flushed: flush the whole mm, and keep freed_tables so walk caches go too (7a30df49f63a).
            if (_mm.FlushNested && !Faulty(Fault.NestedFlushIgnored)) // before 99baac21e458 nobody asked
            {
                if (Faulty(Fault.NestedFlushDropsFreedTables))
                {
                    // Before 7a30df49f63a: __tlb_reset_range(), which cleared freed_tables, then __tlb_adjust_range over
                    // tlb_finish_mmu's [start, end): a range flush that leaves the walk caches.
                    ResetRange();
                    if (_spanEnd != 0) AdjustRange(_spanStart, _spanEnd - _spanStart);
                    _clearedPtes = _spanEnd != 0;
                }
                else
                {
                    _fullmm = true;
                    ResetRange();
                    _freedTables = true;
                }
            }
            FlushMmu();
            _pages?.Release(_cpu.Id); // tlb_batch_list_free
            _pages = null;
            _mm.DecFlushPending();
            _cpu.Machine.Trace.Record(EventKind.GatherFinish, _cpu.Id);
        }
    }
}
