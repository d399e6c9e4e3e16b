using System;
using System.Collections.Generic;

namespace Shootdown.Simulation
{
    /// <summary>
    /// The steps of one controlled run and the shared objects each touched, for partial-order reduction. A step is what
    /// one CPU does from being picked to the next point where another CPU could move: steps of a CPU that was the only
    /// one able to move are merged into the step before, since no schedule can put anything between them.
    /// </summary>
    internal sealed class StepLog
    {
        private long[] _keys = new long[256];
        private bool[] _writes = new bool[256];
        private int _count;
        private readonly List<Step> _steps = new();
        private int _open = -1;

        /// <summary>One step: the CPU, the decision it was picked at (-1 when it was the only one able to move), its accesses.</summary>
        internal struct Step
        {
            public int Cpu;
            public int Decision;
            public int Start;
            public int End;
            public ulong ReadSignature;
            public ulong WriteSignature;
        }

        public int Count => _steps.Count;

        public Step this[int index] => _steps[index];

        /// <summary>The CPU of the open step, or -1.</summary>
        public int OpenCpu => _open < 0 ? -1 : _steps[_open].Cpu;

        public ReadOnlySpan<long> Keys(int step) => _keys.AsSpan(_steps[step].Start, _steps[step].End - _steps[step].Start);

        public ReadOnlySpan<bool> Writes(int step) => _writes.AsSpan(_steps[step].Start, _steps[step].End - _steps[step].Start);

        /// <summary>Opens a step of <paramref name="cpu"/>, closing the open one.</summary>
        public void Begin(int cpu, int decision)
        {
            Close();
            _steps.Add(new Step { Cpu = cpu, Decision = decision, Start = _count, End = _count });
            _open = _steps.Count - 1;
        }

        /// <summary>Closes the open step; its accesses are final.</summary>
        public bool Close()
        {
            if (_open < 0) return false;
            var s = _steps[_open];
            s.End = _count;
            _steps[_open] = s;
            _open = -1;
            return true;
        }

        /// <summary>Index of the last closed step.</summary>
        public int Last => _steps.Count - 1;

        /// <summary>Notes that the open step reads or writes <paramref name="key"/>.</summary>
        public void Touch(long key, bool write)
        {
            if (_open < 0) return; // outside any step: the scheduler before the first pick
            var s = _steps[_open];
            // A short look back catches the repeats that matter (a load and its re-check); a duplicate further back only
            // costs a comparison later.
            for (var i = Math.Max(s.Start, _count - 8); i < _count; i++)
            {
                if (_keys[i] != key) continue;
                if (write && !_writes[i])
                {
                    _writes[i] = true;
                    s.WriteSignature |= Signature(key);
                    _steps[_open] = s;
                }
                return;
            }
            if (_count == _keys.Length)
            {
                Array.Resize(ref _keys, _count * 2);
                Array.Resize(ref _writes, _count * 2);
            }
            _keys[_count] = key;
            _writes[_count] = write;
            _count++;
            if (write) s.WriteSignature |= Signature(key);
            else s.ReadSignature |= Signature(key);
            s.End = _count;
            _steps[_open] = s;
        }

        /// <summary>True when step <paramref name="a"/> and step <paramref name="b"/> of this log conflict.</summary>
        public bool Conflict(int a, int b)
        {
            var sa = _steps[a];
            var sb = _steps[b];
            if (((sa.WriteSignature & (sb.ReadSignature | sb.WriteSignature)) | (sa.ReadSignature & sb.WriteSignature)) == 0) return false;
            return SharedObject.Conflict(Keys(a), Writes(a), Keys(b), Writes(b));
        }

        /// <summary>One bit per object; wildcards set every bit, so the signature test never hides a conflict.</summary>
        internal static ulong Signature(long key)
        {
            var kind = SharedObject.KindOf(key);
            if (kind is SharedKind.Everything) return ulong.MaxValue;
            if (kind is SharedKind.AllMemory) return MemoryBits;
            var h = (ulong)key * 0x9E3779B97F4A7C15UL;
            var bit = (int)(h >> 58);
            // Entries and frames share the half of the signature AllMemory covers.
            return kind is SharedKind.Entry or SharedKind.Frame ? 1UL << (bit & 31) : 1UL << (32 + (bit & 31));
        }

        private const ulong MemoryBits = 0xFFFF_FFFFUL;
    }
}
