using System;
using System.Collections.Generic;
using Shootdown.Simulation;

namespace Shootdown.Runtime.Tests.Explorer
{
    /// <summary>
    /// The machine's state as the invariant sees it, without the event trace: every page-table word, every frame record
    /// (use, references taken and put, map count, incarnation, compound order and head), each CPU's TLB and walk cache,
    /// interrupts flag, pending IPIs and RCU read-side depth. Equal states compare equal item by item; the first
    /// difference is named.
    /// </summary>
    internal sealed class MachineState : IEquatable<MachineState>
    {
        private readonly List<(string What, long Value)> _items;

        private MachineState(List<(string, long)> items) => _items = items;

        public static MachineState Of(Machine m)
        {
            var items = new List<(string, long)>();
            var tables = m.Memory.Tables;
            for (var pfn = 0; pfn < tables.Length; pfn++)
            {
                var words = tables[pfn];
                if (words is null) continue;
                for (var i = 0; i < words.Length; i++)
                {
                    if (words[i] != 0) items.Add(($"frame {pfn} entry {i}", (long)words[i]));
                }
            }
            var frames = m.Memory.Frames;
            for (var pfn = 0; pfn < frames.Length; pfn++)
            {
                var f = frames[pfn];
                items.Add(($"frame {pfn} use", (long)f.Use));
                items.Add(($"frame {pfn} taken", f.Taken));
                items.Add(($"frame {pfn} put", f.Put));
                items.Add(($"frame {pfn} map count", f.MapCount));
                items.Add(($"frame {pfn} incarnation", f.Incarnation));
                items.Add(($"frame {pfn} order", f.Order));
                items.Add(($"frame {pfn} head", f.Head));
            }
            foreach (var cpu in m.Cpus)
            {
                items.Add(($"cpu{cpu.Id} TLB", cpu.Tlb.Fingerprint()));
                items.Add(($"cpu{cpu.Id} walk cache", cpu.WalkCache.Fingerprint()));
                items.Add(($"cpu{cpu.Id} interrupts on", cpu.IrqsEnabled ? 1 : 0));
                items.Add(($"cpu{cpu.Id} pending IPIs", cpu.PendingIpis));
                items.Add(($"cpu{cpu.Id} RCU read depth", cpu.RcuReadDepth));
            }
            return new MachineState(items);
        }

        public bool Equals(MachineState? other) => other != null && FirstDifference(other) == null;

        public override bool Equals(object? obj) => Equals(obj as MachineState);

        public override int GetHashCode() => _items.Count;

        /// <summary>The first item that differs, in words, or null when the states are equal.</summary>
        public string? FirstDifference(MachineState other)
        {
            ArgumentNullException.ThrowIfNull(other);
            var n = Math.Min(_items.Count, other._items.Count);
            for (var i = 0; i < n; i++)
            {
                if (_items[i] != other._items[i])
                    return _items[i].What == other._items[i].What
                        ? $"{_items[i].What}: 0x{_items[i].Value:x} against 0x{other._items[i].Value:x}"
                        : $"{_items[i].What} = 0x{_items[i].Value:x} against {other._items[i].What} = 0x{other._items[i].Value:x}";
            }
            return _items.Count == other._items.Count ? null : $"{_items.Count} items against {other._items.Count}";
        }
    }
}
