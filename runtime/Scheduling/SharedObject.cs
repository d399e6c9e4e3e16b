using System;

namespace Shootdown.Simulation
{
    /// <summary>The kinds of shared state a step of the machine can touch, for the dependency relation of the explorer.</summary>
    public enum SharedKind : byte
    {
        /// <summary>One page-table entry (both words of a split PTE): a physical page and a word index.</summary>
        Entry = 1,
        /// <summary>A physical page as a whole: its use, reference and map counts, its contents, a table's liveness.</summary>
        Frame,
        /// <summary>One CPU's TLB and page-walk cache.</summary>
        Tlb,
        /// <summary>One CPU's own state others can see: interrupts flag, IPI mailbox, running task, loaded mm.</summary>
        Cpu,
        /// <summary>The RCU state machine: callbacks, grace periods, quiescent states.</summary>
        Rcu,
        /// <summary>An mm's lockless state (<c>tlb_flush_pending</c>, <c>mm_cpumask</c>) and its locks.</summary>
        Mm,
        /// <summary>The page allocator's free list.</summary>
        Allocator,
        /// <summary>The acknowledgement counter of one cross-CPU call (by sender).</summary>
        IpiAck,
        /// <summary>A lock that names no owner object.</summary>
        Lock,
        /// <summary>Which top-level table an mm has (<c>mm->pgd</c>), read by every walk and changed at exit.</summary>
        Pgd,
        /// <summary>Every entry and every frame: an atomic hardware walk reads whatever tables it meets.</summary>
        AllMemory = 14,
        /// <summary>Everything: a step whose accesses are not described (scenario code, a wait being re-checked).</summary>
        Everything = 15,
    }

    /// <summary>
    /// A shared object as one 64-bit key (kind in the top byte), and the rule of dependence: two accesses conflict when
    /// their objects overlap and one of them writes. <see cref="SharedKind.Everything"/> overlaps every object and
    /// <see cref="SharedKind.AllMemory"/> every entry and frame.
    /// </summary>
    public static class SharedObject
    {
        private const int KindShift = 56;
        private const long IdMask = (1L << KindShift) - 1;

        /// <summary>Entry <paramref name="word"/> of physical page <paramref name="pfn"/>.</summary>
        public static long Entry(int pfn, int word) => Key(SharedKind.Entry, ((long)pfn << 20) | (uint)word);

        /// <summary>Physical page <paramref name="pfn"/>.</summary>
        public static long Frame(int pfn) => Key(SharedKind.Frame, pfn);

        /// <summary>CPU <paramref name="cpu"/>'s TLB and walk cache.</summary>
        public static long Tlb(int cpu) => Key(SharedKind.Tlb, cpu);

        /// <summary>CPU <paramref name="cpu"/>'s visible state.</summary>
        public static long Cpu(int cpu) => Key(SharedKind.Cpu, cpu);

        /// <summary>The mm numbered <paramref name="mm"/>.</summary>
        public static long Mm(int mm) => Key(SharedKind.Mm, mm);

        /// <summary>The PGD pointer of the mm numbered <paramref name="mm"/>.</summary>
        public static long Pgd(int mm) => Key(SharedKind.Pgd, mm);

        /// <summary>Acknowledgements of the calls CPU <paramref name="sender"/> sent.</summary>
        public static long IpiAck(int sender) => Key(SharedKind.IpiAck, sender);

        /// <summary>A lock with its own number.</summary>
        public static long Lock(long id) => Key(SharedKind.Lock, id);

        /// <summary>RCU.</summary>
        public static long Rcu { get; } = Key(SharedKind.Rcu, 0);

        /// <summary>The free list.</summary>
        public static long Allocator { get; } = Key(SharedKind.Allocator, 0);

        /// <summary>All entries and frames.</summary>
        public static long AllMemory { get; } = Key(SharedKind.AllMemory, 0);

        /// <summary>Everything.</summary>
        public static long Everything { get; } = Key(SharedKind.Everything, 0);

        /// <summary>The kind of <paramref name="key"/>.</summary>
        public static SharedKind KindOf(long key) => (SharedKind)(byte)((ulong)key >> KindShift);

        /// <summary>True when <paramref name="a"/> and <paramref name="b"/> may be the same state.</summary>
        public static bool Overlap(long a, long b)
        {
            if (a == b) return true;
            var ka = KindOf(a);
            var kb = KindOf(b);
            if (ka == SharedKind.Everything || kb == SharedKind.Everything) return true;
            if (ka == SharedKind.AllMemory) return kb is SharedKind.Entry or SharedKind.Frame;
            if (kb == SharedKind.AllMemory) return ka is SharedKind.Entry or SharedKind.Frame;
            return false;
        }

        /// <summary>True when two steps' accesses conflict: an overlapping object that one of them writes.</summary>
        public static bool Conflict(ReadOnlySpan<long> keysA, ReadOnlySpan<bool> writesA, ReadOnlySpan<long> keysB, ReadOnlySpan<bool> writesB)
        {
            if (keysA.Length != writesA.Length || keysB.Length != writesB.Length) throw new ArgumentException("one write flag per key");
            for (var i = 0; i < keysA.Length; i++)
            {
                for (var j = 0; j < keysB.Length; j++)
                {
                    if ((writesA[i] || writesB[j]) && Overlap(keysA[i], keysB[j])) return true;
                }
            }
            return false;
        }

        /// <summary>The key in words (<c>entry 12:3</c>, <c>tlb cpu1</c>).</summary>
        public static string Describe(long key)
        {
            var id = key & IdMask;
            return KindOf(key) switch
            {
                SharedKind.Entry => $"entry {id >> 20}:{id & 0xFFFFF}",
                SharedKind.Frame => $"frame {id}",
                SharedKind.Tlb => $"tlb cpu{id}",
                SharedKind.Cpu => $"cpu{id}",
                SharedKind.Rcu => "rcu",
                SharedKind.Mm => $"mm {id}",
                SharedKind.Allocator => "free list",
                SharedKind.IpiAck => $"ipi acks of cpu{id}",
                SharedKind.Lock => $"lock {id}",
                SharedKind.Pgd => $"pgd of mm {id}",
                SharedKind.AllMemory => "all memory",
                SharedKind.Everything => "everything",
                _ => $"object {key:x}",
            };
        }

        private static long Key(SharedKind kind, long id)
        {
            if (id < 0 || id > IdMask) throw new ArgumentOutOfRangeException(nameof(id), id, "object id out of range");
            return ((long)kind << KindShift) | id;
        }
    }

    /// <summary>
    /// One shared object bound to the machine that records it, for a component that does not know its machine at
    /// construction (a TLB): <see cref="Touch"/> records an access when a run records, else does nothing.
    /// </summary>
    internal readonly struct SharedHandle
    {
        private readonly Scheduling? _points;
        private readonly long _key;

        public SharedHandle(Scheduling points, long key)
        {
            _points = points;
            _key = key;
        }

        public void Touch(bool write) => _points?.Touch(_key, write);
    }
}
