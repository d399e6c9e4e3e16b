using System;
using Shootdown.Simulation;

namespace Shootdown.Reference
{
    /// <summary>
    /// The executable specification of lockless fast GUP (mm/gup.c <c>gup_fast</c> and its <c>gup_fast_*_range</c>
    /// helpers): interrupts off, lockless entry reads, a speculative reference, then a re-check of the PMD and PTE that
    /// drops the reference and stops on any change. Reads the descriptor at run time.
    /// </summary>
    /// <remarks>
    /// A huge leaf maps a compound page: base page i of its range is frame head + i (<c>record_subpages</c>), and the
    /// references for all of them are taken on the folio (the head), as <c>try_grab_folio_fast(page, refs)</c> does.
    /// A walker that reaches a freed page table records <see cref="ViolationKind.ReadFreedTable"/>; one that takes a
    /// reference on a PTE assembled from halves of two different values records <see cref="ViolationKind.TornPte"/>.
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
            if (!m.Descriptor.FastGup || pages.Length == 0) return 0; // !IS_ENABLED(CONFIG_HAVE_GUP_FAST)
            var end = start + ((ulong)pages.Length << g.PageShift);
            if (end <= start || end > g.TaskSize) return 0;            // !gup_fast_permitted()
            var pgd = mm.Pgd;
            if (pgd.IsNone) return 0;
            // local_irq_save: page tables cannot be freed under us (IPI flushes wait for us, RCU grace periods too).
            var wasOn = cpu.IrqsEnabled;
            cpu.DisableIrqs();
            var walk = new Walk(cpu, write, pages);
            try
            {
                walk.Range(pgd, g.Levels - 1, start, end);
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
            private readonly Span<int> _pages;
            public int Pinned;

            public Walk(Cpu cpu, bool write, Span<int> pages)
            {
                _cpu = cpu;
                _m = cpu.Machine;
                _write = write;
                _pages = pages;
                Pinned = 0;
            }

            // gup_fast_pgd_range / p4d / pud / pmd: false means "stop here, the slow path does the rest".
            public bool Range(TableRef table, int level, ulong addr, ulong end)
            {
                var g = _m.Geometry;
                var size = g.EntrySize(level);
                do
                {
                    var next = Math.Min(end, (addr & ~(size - 1)) + size); // p?d_addr_end
                    var index = g.Index(level, addr);
                    if (!Load(table, level, index, addr, out var entry, out var torn)) return false;
                    WalkerSteps.At(WalkerStep.EntryRead, level, addr);
                    if (!Entry.IsPresent(entry)) return false;               // p?d_none / !pmd_present
                    if ((entry & Entry.Leaf) != 0)
                    {
                        // Only PMD and PUD leaves exist (BUILD_BUG_ON(p4d_leaf) / pgd_leaf in gup_fast_*_range).
                        if (level > 2 || !Leaf(table, level, index, entry, torn, addr, next)) return false;
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
                var ptes = PageTables.Deref(_m, pmd, 0);
                do
                {
                    var index = g.Index(0, addr);
                    if (!Load(ptes, 0, index, addr, out var pte, out var torn)) return false; // ptep_get_lockless
                    WalkerSteps.At(WalkerStep.PteRead, 0, addr);
                    if (!Entry.IsPresent(pte)) return false;                  // pte_access_permitted
                    if (_write && (pte & Entry.Write) == 0) return false;
                    if ((pte & Entry.Special) != 0) return false;             // pte_special
                    var pfn = PageTables.Pfn(_m, pte);
                    if (torn && !ReportTorn(pfn, addr)) return false;
                    if (pfn <= 0 || pfn >= _m.Memory.FrameCount) return false;
                    if (!_m.Memory.TryGet(pfn)) return false;                 // try_grab_folio_fast
                    WalkerSteps.At(WalkerStep.ReferenceTaken, 0, addr);
                    // The tables may have changed since the lockless reads: a changed PMD means the PTE table may be
                    // on its way out (khugepaged), a changed PTE that the page may be (munmap).
                    if (!Load(pmdTable, 1, pmdIndex, addr, out var pmdNow, out _) || pmdNow != pmd
                        || !Load(ptes, 0, index, addr, out var pteNow, out _) || pteNow != pte)
                    {
                        _m.Memory.Put(pfn, _cpu.Id); // gup_put_folio
                        return false;
                    }
                    _pages[Pinned++] = pfn;
                    addr += (ulong)g.PageSize;
                } while (addr != end);
                return true;
            }

            // gup_fast_pmd_leaf / gup_fast_pud_leaf
            private bool Leaf(TableRef table, int level, int index, ulong entry, bool torn, ulong addr, ulong end)
            {
                if (_write && (entry & Entry.Write) == 0) return false;      // p?d_access_permitted
                if ((entry & Entry.Special) != 0) return false;               // p?d_special
                var g = _m.Geometry;
                var refs = (int)((end - addr) >> g.PageShift);
                var head = PageTables.Pfn(_m, entry);
                if (torn && !ReportTorn(head, addr)) return false;
                if (head <= 0 || head >= _m.Memory.FrameCount) return false;
                // pmd_page(orig) + ((addr & ~PMD_MASK) >> PAGE_SHIFT): the first base page wanted.
                var page = head + (int)((addr & (g.EntrySize(level) - 1)) >> g.PageShift);
                if (page + refs > _m.Memory.FrameCount) return false;
                if (!_m.Memory.TryGet(page)) return false;
                for (var i = 1; i < refs; i++) _m.Memory.Get(page, _cpu.Id);
                WalkerSteps.At(WalkerStep.ReferenceTaken, level, addr);
                if (!Load(table, level, index, addr, out var now, out _) || now != entry)
                {
                    for (var i = 0; i < refs; i++) _m.Memory.Put(page, _cpu.Id); // gup_put_folio(folio, refs)
                    return false;
                }
                for (var i = 0; i < refs; i++) _pages[Pinned++] = page + i; // record_subpages
                return true;
            }

            private readonly bool ReportTorn(int pfn, ulong addr)
            {
                _m.Violations.Report(ViolationKind.TornPte, _cpu.Id,
                    $"cpu{_cpu.Id} fast GUP took a PTE for {addr:x} assembled from the halves of two values (frame {pfn})");
                return true;
            }

            // A lockless read of one entry. A table that was freed (or freed and reused) since the walker got its pointer
            // is the use-after-free the teardown order exists to prevent. PTE and PMD use ptep_get_lockless /
            // pmdp_get_lockless: with CONFIG_GUP_GET_PXX_LOW_HIGH, low, high, then low again, retrying on change;
            // an entry wider than the word read "with one load" is really two loads with nothing tying them together.
            private readonly bool Load(TableRef table, int level, int index, ulong addr, out ulong entry, out bool torn)
            {
                torn = false;
                entry = 0;
                if (!PageTables.IsLive(_m, table))
                {
                    _m.Violations.Report(ViolationKind.ReadFreedTable, _cpu.Id,
                        $"cpu{_cpu.Id} fast GUP read {_m.Geometry.LevelName(level)} {table} for {addr:x} after it was freed");
                    return false;
                }
                var d = _m.Descriptor;
                if (level > 1 || !d.PteWiderThanWord)
                {
                    entry = PageTables.Read(_m, table, level, index);
                }
                else if (d.PteRead == PteRead.LowHighSplit)
                {
                    uint low, high;
                    do
                    {
                        low = PageTables.ReadLow(_m, table, level, index);
                        WalkerSteps.At(WalkerStep.BetweenHalves, level, addr);
                        high = PageTables.ReadHigh(_m, table, level, index);
                    } while (low != PageTables.ReadLow(_m, table, level, index));
                    entry = (ulong)high << 32 | low;
                }
                else
                {
                    var low = PageTables.ReadLow(_m, table, level, index);
                    var lowSource = PageTables.Read(_m, table, level, index); // what the low half was part of
                    WalkerSteps.At(WalkerStep.BetweenHalves, level, addr);
                    var high = PageTables.ReadHigh(_m, table, level, index);
                    entry = (ulong)high << 32 | low;
                    torn = (uint)(lowSource >> 32) != high && Entry.IsPresent(entry);
                }
                _m.Trace.Record(EventKind.WalkerRead, _cpu.Id, addr, (ulong)level, entry);
                return true;
            }
        }
    }
}
