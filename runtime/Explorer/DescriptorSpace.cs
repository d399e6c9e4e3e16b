using System.Collections.Generic;

namespace Shootdown.Explorer
{
    /// <summary>
    /// The descriptors the agreement is checked over: every combination of the dimensions that bear on safety that
    /// <see cref="DescriptorRules.Check"/> finds no structural error in. Invalidation with sync-on-clear (3), fragments
    /// 1 or 2, PTE/word 32/32, 64/64, 64/32, walker kind (3), software refill (2), every subset of TABLE_FREE,
    /// RCU_TABLE_FREE, NO_TABLE_INVALIDATE and NO_GATHER, fast GUP (2) and its PTE read (2). Fixed: 4 KiB pages, a PTE
    /// special bit, no other gather option; levels follow the word (4 on 64-bit, 3 for PAE/LPAE, 2 on 32/32).
    /// </summary>
    public static class DescriptorSpace
    {
        private static readonly GatherOptions[] Bits = { GatherOptions.TableFree, GatherOptions.RcuTableFree, GatherOptions.NoTableInvalidate, GatherOptions.NoGather };

        /// <summary>Every combination, valid or not, in a fixed order.</summary>
        public static IEnumerable<ArchDescriptor> Combinations()
        {
            var invalidations = new[] { (Invalidation.Ipi, false), (Invalidation.Ipi, true), (Invalidation.HardwareBroadcast, false), (Invalidation.HardwareBroadcast, true) };
            var widths = new[] { (32, 32), (64, 64), (64, 32) };
            foreach (var (inv, sync) in invalidations)
            foreach (var fragments in new[] { 1, 2 })
            foreach (var (pte, word) in widths)
            foreach (var walker in new[] { WalkerKind.None, WalkerKind.WalksTables, WalkerKind.CachesUpperLevels })
            foreach (var refill in new[] { false, true })
            for (var mask = 0; mask < 1 << Bits.Length; mask++)
            foreach (var gup in new[] { false, true })
            foreach (var read in new[] { PteRead.SingleLoad, PteRead.LowHighSplit })
            {
                var options = GatherOptions.None;
                for (var b = 0; b < Bits.Length; b++)
                {
                    if ((mask & (1 << b)) != 0) options |= Bits[b];
                }
                var levels = word == 64 ? 4 : pte == 64 ? 3 : 2;
                var d = new ArchDescriptor("", inv, sync, levels, 4096, fragments, pte, word, true, walker, refill, options, gup, read);
                yield return d with { Name = DescriptorId.Encode(d) };
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
