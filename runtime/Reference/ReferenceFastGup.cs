using System;
using Shootdown.Simulation;

namespace Shootdown.Reference
{
    /// <summary>
    /// The executable specification of lockless fast GUP (mm/gup.c <c>gup_fast</c> and its <c>gup_fast_*_range</c>
    /// helpers): interrupts off, lockless entry reads, a speculative reference, then a re-check of the PMD and PTE that
    /// drops the reference and stops on any change. Reads the descriptor at run time; makes the same machine steps, in the
    /// same order, as the generated <c>FastGup</c> of the same descriptor.
    /// </summary>
    /// <remarks>
    /// A huge leaf maps a compound page: base page i of its range is frame head + i (<c>record_subpages</c>), and the
    /// references for all of them are taken on the folio, as <c>try_grab_folio_fast(page, refs)</c> does. A walker that
    /// enters a freed page table records <see cref="ViolationKind.ReadFreedTable"/>; the machine records
    /// <see cref="ViolationKind.TornPte"/> when a reference is taken on a frame named by a PTE loaded in two halves of two
    /// different values (a single load of a PTE wider than the word).
    /// </remarks>
    public struct ReferenceFastGup : IFastGup<ReferenceFastGup>
    {
        /// <inheritdoc/>
        public static int GupFast(Cpu cpu, Mm mm, ulong start, bool write, Span<int> pages)
        {
            ArgumentNullException.ThrowIfNull(cpu);
            ArgumentNullException.ThrowIfNull(mm);
            var m = cpu.Machine;
            var g = m.Geometry;
            if ((start & ((ulong)g.PageSize - 1)) != 0) throw new ArgumentException($"address {start:x} is not page aligned", nameof(start));
            if (!m.Descriptor.FastGup) return 0;                       // !IS_ENABLED(CONFIG_HAVE_GUP_FAST)
            var end = start + ((ulong)pages.Length << g.PageShift);
            if (pages.Length == 0 || end <= start || end > g.TaskSize || mm.Pgd.IsNone) return 0; // !gup_fast_permitted()
            // local_irq_save: page tables cannot be freed under us (IPI flushes wait for us, RCU grace periods too).
            var wasOn = cpu.IrqsEnabled;
            if (!m.Faulty(Fault.GupWithIrqsOn)) cpu.DisableIrqs();
            var walk = new Walk(cpu, write, pages);
            try
            {
                walk.Range(mm.Pgd, g.Levels - 1, start, end);
            }
            finally
            {
                if (wasOn) cpu.EnableIrqs(); // local_irq_restore
            }
            return walk.Pinned;
        }

        private ref struct Walk
        {
            private readonly Cpu _cpu;
            private readonly Machine _m;
            private readonly bool _write;
            private readonly bool _split;
            private readonly Span<int> _pages;
            private readonly Fault _faults; // the mutation suite's bugs (docs/mutation.md), none outside it
            public int Pinned;

            public Walk(Cpu cpu, bool write, Span<int> pages)
            {
                _cpu = cpu;
                _m = cpu.Machine;
                _write = write;
                _faults = _m.Faults;
                _split = _m.Descriptor.PteRead == PteRead.LowHighSplit && (_faults & Fault.SplitPteSingleLoad) == 0; // CONFIG_GUP_GET_PXX_LOW_HIGH
                _pages = pages;
                Pinned = 0;
            }

            // gup_fast_pgd_range / p4d / pud / pmd: false means "stop here, the slow path does the rest".
            public bool Range(TableRef table, int level, ulong addr, ulong end)
            {
                var g = _m.Geometry;
                if (!Live(table, level, addr)) return false;
                var size = g.EntrySize(level);
                do
                {
                    var index = g.Index(level, addr);
                    // pmdp_get_lockless is the split read on a PMD that is a level of its own; the rest is READ_ONCE.
                    var entry = _split && level == 1 && g.Levels > 2 ? ReadLowHigh(table, 1, index) : PageTables.Read(_m, table, level, index);
                    _m.Trace.Record(EventKind.WalkerRead, _cpu.Id, addr, (ulong)level, entry);
                    var next = PageTableGeometry.AddrEnd(addr, end, size);      // p?d_addr_end
                    if (!Entry.IsPresent(entry)) return false;                  // p?d_none / !pmd_present
                    if ((entry & Entry.Leaf) != 0)
                    {
                        // Only PMD and PUD leaves exist (gup_fast_pmd_leaf, gup_fast_pud_leaf).
                        if (level > 2 || !Leaf(table, level, index, entry, addr, next)) return false;
                    }
                    else if (level == 1)
                    {
                        if (!PteRange(table, index, entry, addr, next)) return false;
                    }
                    else if (!Range(PageTables.Deref(_m, entry, level - 1), level - 1, addr, next))
                    {
                        return false;
                    }
                    addr = next;
                } while (addr != end);
                return true;
            }

            // gup_fast_pte_range. Without ARCH_HAS_PTE_SPECIAL it is a stub returning 0: a PTE cannot tell whether it
            // has a struct page behind it, so small pages always go to the slow path.
            private bool PteRange(TableRef pmdTable, int pmdIndex, ulong pmd, ulong addr, ulong end)
            {
                if (!_m.Descriptor.PteSpecial) return false;
                var g = _m.Geometry;
                var ptes = PageTables.Deref(_m, pmd, 0);                        // pte_offset_map
                if (!Live(ptes, 0, addr)) return false;
                do
                {
                    var index = g.Index(0, addr);
                    var pte = _split ? ReadLowHigh(ptes, 0, index) : PageTables.Read(_m, ptes, 0, index); // ptep_get_lockless
                    _m.Trace.Record(EventKind.WalkerRead, _cpu.Id, addr, 0, pte);
                    if (!Entry.IsPresent(pte)) return false;
                    if (_write && (pte & Entry.Write) == 0) return false;      // pte_access_permitted
                    if ((pte & Entry.Special) != 0) return false;             // pte_special
                    var pfn = PageTables.Pfn(_m, pte);
                    if (!ValidPfn(pfn) || !_m.Memory.TryGet(pfn)) return false; // try_grab_folio_fast
                    WalkerSteps.At(WalkerStep.ReferenceTaken, 0, addr);
                    // The tables may have changed since the lockless reads: a changed PMD means the PTE table may be
                    // on its way out (khugepaged), a changed PTE that the page may be (munmap).
                    // Before 70cbc3cc78a9 only the PTE was re-checked.
                    var pmdChanged = (_faults & Fault.GupSkipsPmdRecheck) == 0 && PageTables.Read(_m, pmdTable, 1, pmdIndex) != pmd;
                    var pteChanged = (_faults & Fault.GupSkipsPteRecheck) == 0 && PageTables.Read(_m, ptes, 0, index) != pte;
                    if ((_faults & Fault.GupSkipsPteRecheck) == 0 && (pmdChanged || pteChanged))
                    {
                        _m.Memory.Put(pfn, _cpu.Id);                           // gup_put_folio
                        return false;
                    }
                    _pages[Pinned++] = pfn;
                    addr += (ulong)g.PageSize;
                } while (addr != end);
                return true;
            }

            // gup_fast_pmd_leaf / gup_fast_pud_leaf
            private bool Leaf(TableRef table, int level, int index, ulong orig, ulong addr, ulong end)
            {
                var g = _m.Geometry;
                if (_write && (orig & Entry.Write) == 0) return false;        // p?d_access_permitted
                if ((orig & Entry.Special) != 0) return false;                 // p?d_special
                var refs = (int)((end - addr) >> g.PageShift);
                var head = PageTables.Pfn(_m, orig);
                if (!ValidPfn(head)) return false;
                // p?d_page(orig) + ((addr & ~P?D_MASK) >> PAGE_SHIFT): base page i of the leaf is frame head + i.
                var page = head + (int)((addr & (g.EntrySize(level) - 1)) >> g.PageShift);
                if (page + refs > _m.Memory.FrameCount || !_m.Memory.TryGet(page)) return false; // try_grab_folio_fast(page, refs)
                for (var i = 1; i < refs; i++) _m.Memory.Get(page);
                WalkerSteps.At(WalkerStep.ReferenceTaken, level, addr);
                if (PageTables.Read(_m, table, level, index) != orig)
                {
                    for (var i = 0; i < refs; i++) _m.Memory.Put(page, _cpu.Id); // gup_put_folio
                    return false;
                }
                for (var i = 0; i < refs; i++) _pages[Pinned++] = page + i; // record_subpages
                return true;
            }

            // gup_get_pte / pmdp_get_lockless with CONFIG_GUP_GET_PXX_LOW_HIGH: low, smp_rmb, high, smp_rmb, low again;
            // a changed low half means a writer was in between, so read again.
            private readonly ulong ReadLowHigh(TableRef table, int level, int index)
            {
                uint low, high;
                do
                {
                    low = PageTables.ReadLow(_m, table, level, index);
                    high = PageTables.ReadHigh(_m, table, level, index);
                } while ((_faults & Fault.SplitPteNoRecheck) == 0 && low != PageTables.ReadLow(_m, table, level, index));
                return (ulong)high << 32 | low;
            }

            // A table freed (or freed and reused) since the walker got its pointer: the use-after-free the teardown
            // order exists to prevent.
            private readonly bool Live(TableRef table, int level, ulong addr)
            {
                if (PageTables.IsLive(_m, table)) return true;
                _m.Violations.Report(ViolationKind.ReadFreedTable, _cpu.Id,
                    $"gup_fast on cpu{_cpu.Id} read {_m.Geometry.LevelName(level)} {table} for {addr:x} after it was freed");
                return false;
            }

            private readonly bool ValidPfn(int pfn) => pfn > 0 && pfn < _m.Memory.FrameCount; // pfn_valid
        }
    }
}
