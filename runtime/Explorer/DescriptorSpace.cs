using System.Collections.Generic;

namespace Shootdown.Explorer
{
    /// <summary>
    /// The descriptors the agreement is checked over: every combination of the values each knob of
    /// <see cref="DescriptorKnobs.All"/> lists as <see cref="DescriptorKnob.Explored"/> (the knobs that bear on a race:
    /// invalidation and sync-on-clear, fragments, PTE and word width, walker, software refill, every subset of TABLE_FREE,
    /// RCU_TABLE_FREE, NO_TABLE_INVALIDATE and NO_GATHER, fast GUP and its PTE read, a PTE special bit) that
    /// <see cref="DescriptorRules.Check"/> finds no structural error in. Every other knob stays at its default, except the
    /// level count, which follows the widths as real machines have it: 4 on 64-bit, 3 for PAE/LPAE, 2 on 32/32.
    /// </summary>
    public static class DescriptorSpace
    {
        /// <summary>
        /// Every combination page tables can be shaped for (<see cref="DescriptorRules.CanShapeTables"/>: not the 32-bit PTE on
        /// a 64-bit word), valid or not, in a fixed order (the first explored knob of the table varies slowest).
        /// </summary>
        public static IEnumerable<ArchDescriptor> Combinations()
        {
            var explored = new List<DescriptorKnob>();
            foreach (var knob in DescriptorKnobs.All)
            {
                if (knob.Explored is not null) explored.Add(knob);
            }
            foreach (var d in Product(DescriptorKnobs.Defaults(""), explored, 0))
            {
                var shaped = d with { Levels = LevelsFor(d) };
                if (DescriptorRules.CanShapeTables(shaped)) yield return shaped with { Name = DescriptorId.Encode(shaped) };
            }
        }

        // 64-bit words walk 4 levels (x86-64, arm64 4K); a 64-bit PTE on a 32-bit word is PAE/LPAE's 3; 32/32 is 2.
        private static int LevelsFor(ArchDescriptor d) => d.WordBits == 64 ? 4 : d.PteBits == 64 ? 3 : 2;

        private static IEnumerable<ArchDescriptor> Product(ArchDescriptor d, List<DescriptorKnob> knobs, int at)
        {
            if (at == knobs.Count)
            {
                yield return d;
                yield break;
            }
            foreach (var value in knobs[at].Explored!)
            {
                foreach (var rest in Product(knobs[at].With(d, value), knobs, at + 1)) yield return rest;
            }
        }

        /// <summary>The combinations with no structural error: the space the agreement is measured on.</summary>
        public static IReadOnlyList<ArchDescriptor> Valid()
        {
            var valid = new List<ArchDescriptor>();
            foreach (var d in Combinations())
            {
                if (IsStructurallyValid(d)) valid.Add(d);
            }
            return valid;
        }

        /// <summary>True when <see cref="DescriptorRules.Check"/> has no error outside the race rules (<see cref="DescriptorRules.IsStructurallyValid"/>).</summary>
        public static bool IsStructurallyValid(ArchDescriptor d) => DescriptorRules.IsStructurallyValid(d);
    }
}
