using System;
using System.Collections.Generic;
using System.Linq;
using Shootdown.Kernel;
using Shootdown.Simulation;

namespace Shootdown.Runtime.Tests.Differential
{
    /// <summary>
    /// A random sequence of address-space operations on one CPU: mmap and fault, munmap, MADV_DONTNEED, shift_arg_pages,
    /// khugepaged collapse, get_user_pages_fast with a put of every pinned page, and injected allocation failures of
    /// gather and table batch pages. Choices come only from the seed and the program's own record of its mappings,
    /// never from what the gather did, so the reference and generated code receive the same operations.
    /// </summary>
    internal sealed class OperationProgram
    {
        private enum RegionKind { Plain, Huge, WholePmd, Collapsed, Stack }

        private sealed class Region
        {
            public required Vma Vma;
            public required RegionKind Kind;
            public ulong Start => Vma.Start;
            public ulong End => Vma.End;
        }

        private readonly Machine _m;
        private readonly Mm _mm;
        private readonly IKernelOps _ops;
        private readonly Random _random;
        private readonly AddressLayout _layout;
        private readonly List<Region> _regions = new();
        private readonly int[] _pinned = new int[16];
        private int _bigRegions;

        public OperationProgram(Machine m, Mm mm, IKernelOps ops, AddressLayout layout, int seed)
        {
            _m = m;
            _mm = mm;
            _ops = ops;
            _layout = layout;
            _random = new Random(seed);
        }

        /// <summary>Runs <paramref name="steps"/> operations on <paramref name="cpu"/>.</summary>
        public void Run(Cpu cpu, int steps)
        {
            for (var i = 0; i < steps; i++) Step(cpu);
        }

        private void Step(Cpu cpu)
        {
            var roll = _random.Next(100);
            if (roll < 22 || _regions.Count == 0) MapCluster(cpu);
            else if (roll < 25) MapBig(cpu);
            else if (roll < 31) MapHuge(cpu);
            else if (roll < 36) MapWholePmd(cpu);
            else if (roll < 41) Collapse(cpu);
            else if (roll < 49) FaultSome(cpu);
            else if (roll < 63) Unmap(cpu);
            else if (roll < 73) DontNeed(cpu);
            else if (roll < 78) ShiftStack(cpu);
            else if (roll < 90) PinAndPut(cpu);
            else InjectFailure();
        }

        private int? FreeSlot(Func<int, bool>? also = null)
        {
            var start = _random.Next(_layout.Slots);
            for (var i = 0; i < _layout.Slots; i++)
            {
                var slot = (start + i) % _layout.Slots;
                if (SlotFree(slot) && (also is null || also(slot))) return slot;
            }
            return null;
        }

        private bool SlotFree(int slot)
        {
            var b = _layout.SlotBase(slot);
            return !_regions.Any(r => r.Start < b + _layout.Pmd && b < r.End);
        }

        private Region Add(Cpu cpu, ulong start, ulong length, VmaFlags flags, RegionKind kind)
        {
            var region = new Region { Vma = AddressSpace.Mmap(_m, _mm, start, length, flags), Kind = kind };
            _regions.Add(region);
            return region;
        }

        // One to three adjacent VMAs with different flags, so MERGE_VMAS and VM_EXEC/VM_PFNMAP/VM_MIXEDMAP boundaries matter.
        private void MapCluster(Cpu cpu)
        {
            if (FreeSlot() is not int slot) return;
            var at = _layout.SlotBase(slot) + (ulong)_random.Next(4) * _layout.Page;
            var room = Math.Min(48, _layout.PagesPerPmd - 4);
            var vmas = 1 + _random.Next(3);
            for (var v = 0; v < vmas && room > 0; v++)
            {
                var pages = 1 + _random.Next(Math.Min(room, 20));
                var flags = _random.Next(6) switch
                {
                    0 => VmaFlags.None,
                    1 => VmaFlags.Write | VmaFlags.Exec,
                    2 => VmaFlags.Write | VmaFlags.PfnMap,
                    3 => VmaFlags.Write | VmaFlags.MixedMap,
                    _ => VmaFlags.Write,
                };
                var length = (ulong)pages * _layout.Page;
                Add(cpu, at, length, flags, RegionKind.Plain);
                var all = _random.Next(2) == 0;
                for (var a = at; a < at + length; a += _layout.Page)
                {
                    if (all || _random.Next(3) != 0) AddressSpace.Fault(cpu, _mm, a);
                }
                at += length;
                room -= pages;
            }
        }

        // Enough pages to fill a gather batch page (MAX_GATHER_BATCH), so zap_pte_range stops for a flush mid-VMA; half of
        // them VM_MIXEDMAP, whose vma_pfn must outlive that flush.
        private void MapBig(Cpu cpu)
        {
            var pages = GatherGeometry.MaxGatherBatch(_m.Descriptor) + 24;
            if (_bigRegions >= 2 || pages > 1100 || pages > _layout.PagesPerPmd) return;
            if (FreeSlot() is not int slot) return;
            _bigRegions++;
            var at = _layout.SlotBase(slot);
            var length = (ulong)pages * _layout.Page;
            Add(cpu, at, length, _random.Next(2) == 0 ? VmaFlags.Write : VmaFlags.Write | VmaFlags.MixedMap, RegionKind.Plain);
            AddressSpace.Populate(cpu, _mm, at, at + length);
        }

        private void MapHuge(Cpu cpu)
        {
            if (FreeSlot() is not int slot) return;
            var at = _layout.SlotBase(slot);
            Add(cpu, at, _layout.Pmd, VmaFlags.Write | VmaFlags.Huge, RegionKind.Huge);
            AddressSpace.Fault(cpu, _mm, at);
        }

        // A VMA spanning one whole PMD with a few base pages in it: what khugepaged collapses.
        private void MapWholePmd(Cpu cpu)
        {
            if (FreeSlot() is not int slot) return;
            var at = _layout.SlotBase(slot);
            Add(cpu, at, _layout.Pmd, VmaFlags.Write, RegionKind.WholePmd);
            var faults = 1 + _random.Next(6);
            for (var i = 0; i < faults; i++) AddressSpace.Fault(cpu, _mm, at + (ulong)_random.Next(_layout.PagesPerPmd) * _layout.Page);
        }

        private void Collapse(Cpu cpu)
        {
            var candidates = _regions.Where(r => r.Kind == RegionKind.WholePmd).ToList();
            if (candidates.Count == 0) return;
            var region = candidates[_random.Next(candidates.Count)];
            var free = _random.Next(3) switch { 0 => CollapseTableFree.Defer, 1 => CollapseTableFree.SyncThenFree, _ => CollapseTableFree.Deposit };
            if (Khugepaged.CollapseHugePage(cpu, _mm, region.Start, free)) region.Kind = RegionKind.Collapsed;
        }

        private Region Pick() => _regions[_random.Next(_regions.Count)];

        private ulong PageIn(Region r) => r.Start + (ulong)_random.Next((int)((r.End - r.Start) / _layout.Page)) * _layout.Page;

        private void FaultSome(Cpu cpu)
        {
            var region = Pick();
            var faults = 1 + _random.Next(8);
            for (var i = 0; i < faults; i++) AddressSpace.Fault(cpu, _mm, PageIn(region));
        }

        // munmap of one VMA, or of a run of VMAs that touch (whole VMAs, as AddressSpace.Munmap requires).
        private void Unmap(Cpu cpu)
        {
            var sorted = _regions.OrderBy(r => r.Start).ToList();
            var first = _random.Next(sorted.Count);
            var last = first;
            while (last + 1 < sorted.Count && sorted[last + 1].Start == sorted[last].End && _random.Next(2) == 0) last++;
            var start = sorted[first].Start;
            var end = sorted[last].End;
            _ops.Munmap(cpu, _mm, start, end - start);
            for (var i = first; i <= last; i++) _regions.Remove(sorted[i]);
        }

        private void DontNeed(Cpu cpu)
        {
            var region = Pick();
            ulong start = region.Start, end = region.End;
            if ((region.Kind is RegionKind.Plain or RegionKind.WholePmd or RegionKind.Stack) && _random.Next(3) != 0)
            {
                // Part of a VMA: a random page range (whole PMDs stay whole in huge and collapsed VMAs).
                var a = PageIn(region);
                var b = PageIn(region);
                start = Math.Min(a, b);
                end = Math.Max(a, b) + _layout.Page;
            }
            _ops.DontNeed(cpu, _mm, start, end - start);
        }

        // execve's stack move: the stack sits at the start of a slot whose lower neighbour is free and moves down into
        // it, by less than its size (overlap) or more; the tables left behind are freed without tlb_start_vma.
        private void ShiftStack(Cpu cpu)
        {
            var stack = _regions.FirstOrDefault(r => r.Kind == RegionKind.Stack);
            if (stack is null)
            {
                if (FreeSlot(s => s >= 2 && SlotFree(s - 2)) is not int slot) return;
                var pages = 1 + _random.Next(Math.Min(16, _layout.PagesPerPmd / 2));
                var at = _layout.SlotBase(slot);
                stack = Add(cpu, at, (ulong)pages * _layout.Page, VmaFlags.Write, RegionKind.Stack);
                for (var a = stack.Start; a < stack.End; a += _layout.Page)
                {
                    if (_random.Next(4) != 0) AddressSpace.Fault(cpu, _mm, a);
                }
                return;
            }
            var below = stack.Start - _layout.Pmd / 2;
            if (_regions.Any(r => r != stack && r.Start < stack.Start && r.End > below)) return;
            var maxShift = (int)(_layout.Pmd / 2 / _layout.Page);
            var shift = (ulong)(1 + _random.Next(maxShift)) * _layout.Page;
            if (shift > stack.Start - _layout.Page) return;
            _ops.ShiftArgPages(cpu, _mm, stack.Vma, shift);
            stack.Kind = RegionKind.Plain; // moved once, like exec does
        }

        private void PinAndPut(Cpu cpu)
        {
            var region = Pick();
            var start = PageIn(region);
            var room = (int)((region.End - start) / _layout.Page);
            var n = 1 + _random.Next(Math.Min(room, _pinned.Length));
            var write = _random.Next(3) != 0;
            var got = _ops.GetUserPagesFast(cpu, _mm, start, n, write, _pinned);
            for (var i = 0; i < got; i++) _m.Memory.Put(_pinned[i], cpu.Id); // put_page / unpin_user_pages
        }

        private void InjectFailure()
        {
            if (_random.Next(2) == 0) _m.Memory.FailNext(FrameUse.GatherBatch, 1 + _random.Next(3));
            else _m.Memory.FailNext(FrameUse.TableBatch, 1 + _random.Next(2));
        }
    }
}
