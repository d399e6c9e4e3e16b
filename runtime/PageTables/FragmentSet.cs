using System.Collections.Generic;
using System.Text;

namespace Shootdown.Simulation
{
    /// <summary>
    /// A set of fragments of one page-table page, up to 256 (powerpc64 radix with 64 KiB pages packs 256 PTE tables
    /// to a page): one bit per fragment in 64-bit words, with the count kept, since the page goes back when it is 0.
    /// </summary>
    internal sealed class FragmentSet
    {
        private readonly ulong[] _words;
        private readonly int _size;

        /// <summary>An empty set of fragments 0 to <paramref name="size"/>-1.</summary>
        public FragmentSet(int size)
        {
            _size = size;
            _words = new ulong[(size + 63) / 64];
        }

        /// <summary>Members.</summary>
        public int Count { get; private set; }

        /// <summary>True when no fragment is a member.</summary>
        public bool IsEmpty => Count == 0;

        /// <summary>True when <paramref name="fragment"/> is a member.</summary>
        public bool Contains(int fragment) => (_words[fragment >> 6] & (1UL << fragment)) != 0;

        /// <summary>Makes <paramref name="fragment"/> a member.</summary>
        public void Add(int fragment)
        {
            if (Contains(fragment)) return;
            _words[fragment >> 6] |= 1UL << fragment;
            Count++;
        }

        /// <summary>Takes <paramref name="fragment"/> out.</summary>
        public void Remove(int fragment)
        {
            if (!Contains(fragment)) return;
            _words[fragment >> 6] &= ~(1UL << fragment);
            Count--;
        }

        /// <summary>The lowest fragment in neither set, or -1 when every fragment of the page is taken.</summary>
        public static int FirstFreeOfBoth(FragmentSet a, FragmentSet b)
        {
            if (a.Count + b.Count >= a._size) return -1;
            for (var w = 0; w < a._words.Length; w++)
            {
                var taken = a._words[w] | b._words[w];
                if (taken == ulong.MaxValue) continue;
                var bit = 0;
                while ((taken & (1UL << bit)) != 0) bit++;
                var fragment = (w << 6) + bit;
                return fragment < a._size ? fragment : -1;
            }
            return -1;
        }

        /// <summary>The members in order.</summary>
        public List<int> Members()
        {
            var members = new List<int>(Count);
            for (var f = 0; f < _size; f++)
            {
                if (Contains(f)) members.Add(f);
            }
            return members;
        }

        /// <summary>The members as a list, <c>{0,3,17}</c>.</summary>
        public override string ToString()
        {
            var b = new StringBuilder("{");
            foreach (var f in Members())
            {
                if (b.Length > 1) b.Append(',');
                b.Append(f);
            }
            return b.Append('}').ToString();
        }
    }
}
