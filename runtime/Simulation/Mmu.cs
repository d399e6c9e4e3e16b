namespace Shootdown.Simulation
{
    /// <summary>The result of a CPU's access to a user address.</summary>
    public enum AccessResult
    {
        /// <summary>Translated (from the TLB or by a walk) to a live page.</summary>
        Ok,
        /// <summary>No translation: the kernel would take a page fault.</summary>
        Fault,
        /// <summary>A translation was used that leads to a freed page or table: a violation was recorded.</summary>
        Violation,
    }

    /// <summary>
    /// Address translation as the hardware does it: TLB first, then a walk of the Linux tables (through the page-walk
    /// cache when the architecture has one), filling the TLB.
    /// </summary>
    public sealed class Mmu
    {
        private readonly Machine _m;

        internal Mmu(Machine machine) => _m = machine;

        /// <summary>
        /// <paramref name="cpu"/> touches <paramref name="address"/> in <paramref name="mm"/>. A hit on a TLB entry whose
        /// page was freed since it was cached, or a walk through a freed table, is a violation.
        /// </summary>
        public AccessResult Access(Cpu cpu, Mm mm, ulong address)
        {
            if (cpu.Tlb.TryLookup(mm.Id, address, out var cached))
            {
                if (_m.Memory[cached.Pfn].Incarnation == cached.Incarnation && _m.Memory[cached.Pfn].Use == FrameUse.Data) return AccessResult.Ok;
                _m.Violations.Report(ViolationKind.StaleTlbUse, cpu.Id, $"cpu{cpu.Id} used a TLB entry for {address:x} whose frame {cached.Pfn} was freed");
                return AccessResult.Violation;
            }
            return Walk(cpu, mm, address);
        }

        private AccessResult Walk(Cpu cpu, Mm mm, ulong address)
        {
            var g = _m.Geometry;
            var cachesUpper = _m.Descriptor.Walker == WalkerKind.CachesUpperLevels;
            var table = mm.Pgd;
            var level = g.Levels - 1;
            if (cachesUpper && TryWalkCache(cpu, mm, address, out var cachedTable, out var cachedLevel))
            {
                table = cachedTable;
                level = cachedLevel;
            }
            for (; level >= 0; level--)
            {
                if (!PageTables.IsLive(_m, table))
                {
                    _m.Violations.Report(cachesUpper ? ViolationKind.StaleWalkCacheUse : ViolationKind.ReadFreedTable, cpu.Id,
                        $"cpu{cpu.Id} walked {g.LevelName(level)} {table} for {address:x} after it was freed");
                    return AccessResult.Violation;
                }
                var entry = PageTables.Read(_m, table, level, g.Index(level, address));
                if (!Entry.IsPresent(entry)) return AccessResult.Fault;
                if (level == 0 || (entry & Entry.Leaf) != 0)
                {
                    var pfn = PageTables.Pfn(_m, entry);
                    var size = g.EntrySize(level);
                    var pageInLeaf = (int)((address & (size - 1)) >> g.PageShift);
                    var target = pfn + pageInLeaf;
                    cpu.Tlb.Insert(mm.Id, address, new TlbEntry(target, _m.Memory[target].Incarnation, entry & Entry.FlagMask, size));
                    return AccessResult.Ok;
                }
                var child = PageTables.Deref(_m, entry, level - 1);
                if (cachesUpper) cpu.WalkCache.Insert(mm.Id, level - 1, address >> g.Shift(level), child);
                table = child;
            }
            return AccessResult.Fault;
        }

        private bool TryWalkCache(Cpu cpu, Mm mm, ulong address, out TableRef table, out int level)
        {
            var g = _m.Geometry;
            for (level = 0; level < g.Levels - 1; level++)
            {
                if (cpu.WalkCache.TryLookup(mm.Id, level, address >> g.Shift(level + 1), out table)) return true;
            }
            table = default;
            return false;
        }
    }
}
