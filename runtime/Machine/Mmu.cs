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
        /// <summary>A speculative walk of an mm this CPU has not loaded (neither running it nor lazily keeping it): nothing happened.</summary>
        NotLoaded,
    }

    /// <summary>
    /// Address translation as the hardware does it: TLB first, then a walk of the Linux tables (through the page-walk
    /// cache when the architecture has one), filling the TLB and the walk cache. A hardware walk is one step: it happens
    /// within an instruction, so no interrupt (and so no IPI-driven flush) lands in the middle of it, and a broadcast
    /// invalidation completes only after walks in flight.
    /// </summary>
    public sealed class Mmu
    {
        private readonly Machine _m;

        internal Mmu(Machine machine) => _m = machine;

        /// <summary>
        /// <paramref name="cpu"/> touches <paramref name="address"/> in <paramref name="mm"/>. A hit on a TLB entry whose
        /// page was freed since it was cached, or a walk through a freed table, is a violation.
        /// </summary>
        public AccessResult Access(Cpu cpu, Mm mm, ulong address) => Access(cpu, mm, address, write: false);

        /// <summary>
        /// <paramref name="cpu"/> reads or, when <paramref name="write"/>, writes <paramref name="address"/> in
        /// <paramref name="mm"/>. A write through a read-only translation, cached or walked, is a permission fault
        /// (<see cref="AccessResult.Fault"/>, nothing cached).
        /// </summary>
        public AccessResult Access(Cpu cpu, Mm mm, ulong address, bool write)
        {
            Check(cpu, mm, address);
            _m.Scheduling.Point(StepKind.TlbFill);
            _m.Scheduling.Touch(SharedObject.Cpu(cpu.Id), true); // the walk sequence a broadcast invalidation waits on
            // One translation is one step of the instruction: no interrupt inside it, and a broadcast invalidation
            // waits for it (the walk sequence is odd meanwhile).
            System.Threading.Interlocked.Increment(ref cpu.WalkSequence);
            try
            {
                if (cpu.Tlb.TryLookup(mm.Id, address, out var cached))
                {
                    if (write && (cached.Flags & Entry.Write) == 0) return AccessResult.Fault;
                    if (cached.Pfn == 0) // device memory: no page to be freed under it, but the mapping may be gone
                        return _m.Returns.UsedAfterReturn(cpu, mm.Id, address, cached.CachedAt, write) ? AccessResult.Violation : AccessResult.Ok;
                    _m.Scheduling.Touch(SharedObject.Frame(cached.Pfn), false);
                    ref var frame = ref _m.Memory[cached.Pfn];
                    if (frame.Incarnation == cached.Incarnation && frame.Use == FrameUse.Data)
                        return _m.Returns.UsedAfterReturn(cpu, mm.Id, address, cached.CachedAt, write) ? AccessResult.Violation : AccessResult.Ok;
                    // Data integrity: the incarnation is the frame's owner generation, so a frame freed and handed to a
                    // new owner since is told apart from the page the entry was cached for, a read or a write alike.
                    var since = frame.Use == FrameUse.Free ? "was freed" : $"was freed and reallocated ({frame.Use})";
                    _m.Violations.Report(ViolationKind.StaleTlbUse, cpu.Id, $"cpu{cpu.Id} used a TLB entry for {address:x} whose frame {cached.Pfn} {since}");
                    return AccessResult.Violation;
                }
                return Walk(cpu, mm, address, write);
            }
            finally
            {
                System.Threading.Interlocked.Increment(ref cpu.WalkSequence);
            }
        }

        /// <summary>
        /// The hardware walker of <paramref name="cpu"/> walks <paramref name="mm"/> for <paramref name="address"/> on its
        /// own (speculation, prefetch): fills the walk cache and the TLB, as it may at any moment for the mm loaded on
        /// that CPU, lazily loaded included. Without a hardware walker of the Linux tables nothing happens.
        /// </summary>
        public AccessResult SpeculativeWalk(Cpu cpu, Mm mm, ulong address)
        {
            Check(cpu, mm, address);
            if (cpu.LoadedMm != mm) return AccessResult.NotLoaded;
            if (!_m.Descriptor.HardwareWalksTables) return AccessResult.Fault;
            _m.Scheduling.Point(StepKind.WalkCacheFill);
            _m.Scheduling.Touch(SharedObject.Cpu(cpu.Id), true);
            System.Threading.Interlocked.Increment(ref cpu.WalkSequence);
            try
            {
                return Walk(cpu, mm, address, write: false);
            }
            finally
            {
                System.Threading.Interlocked.Increment(ref cpu.WalkSequence);
            }
        }

        private void Check(Cpu cpu, Mm mm, ulong address)
        {
            if (cpu is null) throw new System.ArgumentNullException(nameof(cpu));
            if (mm is null) throw new System.ArgumentNullException(nameof(mm));
            if (cpu.Machine != _m) throw new System.ArgumentException($"{cpu} belongs to another machine", nameof(cpu));
            if (address >= _m.Geometry.TaskSize)
                throw new System.ArgumentOutOfRangeException(nameof(address), $"{address:x} is above the {_m.Geometry.AddressBits}-bit user address space");
        }

        private AccessResult Walk(Cpu cpu, Mm mm, ulong address, bool write)
        {
            if (mm.Pgd.IsNone) return AccessResult.Fault;
            _m.Scheduling.BeginAtomic();
            try
            {
                return WalkAtomic(cpu, mm, address, write);
            }
            finally
            {
                _m.Scheduling.EndAtomic();
            }
        }

        private AccessResult WalkAtomic(Cpu cpu, Mm mm, ulong address, bool write)
        {
            var g = _m.Geometry;
            var cachesUpper = _m.Descriptor.Walker == WalkerKind.CachesUpperLevels;
            var table = mm.Pgd;
            var level = g.Levels - 1;
            var fromCache = false;
            if (cachesUpper && TryWalkCache(cpu, mm, address, out var cachedTable, out var cachedLevel))
            {
                table = cachedTable;
                level = cachedLevel;
                fromCache = true;
            }
            for (; level >= 0; level--)
            {
                if (!PageTables.IsLive(_m, table))
                {
                    _m.Violations.Report(fromCache ? ViolationKind.StaleWalkCacheUse : ViolationKind.ReadFreedTable, cpu.Id,
                        $"cpu{cpu.Id} walked {g.LevelName(level)} {table} for {address:x} after it was freed{(fromCache ? " (pointer from its page-walk cache)" : "")}");
                    return AccessResult.Violation;
                }
                _m.Trace.Record(EventKind.WalkerRead, cpu.Id, address, (ulong)level, 1);
                var entry = PageTables.LoadAtomic(_m, table, level, g.Index(level, address));
                if (!Entry.IsPresent(entry)) return AccessResult.Fault;
                if (level == 0 || (entry & Entry.Leaf) != 0)
                {
                    if (write && (entry & Entry.Write) == 0) return AccessResult.Fault;
                    var size = g.EntrySize(level);
                    var pfn = PageTables.Pfn(_m, entry);
                    if (pfn == 0)
                    {
                        if ((entry & Entry.Special) == 0) return AccessResult.Fault;
                        // VM_PFNMAP device memory: translated, but there is no frame to go stale.
                        cpu.Tlb.Insert(mm.Id, address, new TlbEntry(0, 0, entry & Entry.FlagMask, size));
                        return AccessResult.Ok;
                    }
                    // A huge leaf maps base page i of its range to frame head + i (pmd_page(pmd) + pte_index(addr)).
                    var page = pfn + (int)((address & (size - 1)) >> g.PageShift);
                    if (page >= _m.Memory.FrameCount) return AccessResult.Fault;
                    _m.Scheduling.Touch(SharedObject.Frame(page), false);
                    cpu.Tlb.Insert(mm.Id, address, new TlbEntry(page, _m.Memory[page].Incarnation, entry & Entry.FlagMask, size));
                    return AccessResult.Ok;
                }
                var child = PageTables.Deref(_m, entry, level - 1);
                if (child.IsNone) return AccessResult.Fault;
                if (cachesUpper) cpu.WalkCache.Insert(mm.Id, level - 1, address >> g.Shift(level), child);
                table = child;
                fromCache = false;
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
