using System;
using System.Collections.Generic;

namespace Shootdown.Runtime.Tests.Differential
{
    /// <summary>
    /// Valid descriptors (no error from <see cref="DescriptorRules.Check"/>) drawn over the whole descriptor space: every
    /// <c>MMU_GATHER_*</c> combination some machine accepts, then random draws over every other axis. Seeded, so a failure
    /// names a descriptor that the next run draws again.
    /// </summary>
    internal static class DescriptorSpace
    {
        private static readonly (int Pte, int Word)[] Widths = { (32, 32), (64, 64), (64, 32) };
        private static readonly int[] PageSizes = { 4096, 16384, 65536 };
        private static readonly int[] Fragments = { 1, 2, 4 };

        /// <summary>At least <paramref name="count"/> valid descriptors named <c>d000</c>, <c>d001</c>, ...</summary>
        public static IReadOnlyList<ArchDescriptor> Draw(int count, int seed)
        {
            var random = new Random(seed);
            var drawn = new List<ArchDescriptor>();
            // Each option set first, on whatever machine makes it valid (NO_GATHER needs a synchronous clear, and so on).
            for (var bits = 0; bits < 256; bits++)
            {
                for (var attempt = 0; attempt < 400; attempt++)
                {
                    var d = RandomDescriptor(random, "d" + drawn.Count.ToString("000")) with { Options = (GatherOptions)bits };
                    if (!Runnable(d)) continue;
                    drawn.Add(d);
                    break;
                }
            }
            while (drawn.Count < count)
            {
                var d = RandomDescriptor(random, "d" + drawn.Count.ToString("000"));
                if (Runnable(d)) drawn.Add(d);
            }
            return drawn;
        }

        /// <summary>Valid: DescriptorRules reports no error (which also keeps the tables within a 64-bit address).</summary>
        public static bool Runnable(ArchDescriptor d) => !DescriptorRules.HasErrors(d);

        private static ArchDescriptor RandomDescriptor(Random r, string name)
        {
            var (pte, word) = Widths[r.Next(Widths.Length)];
            var broadcast = r.Next(2) == 1;
            var fastGup = r.Next(3) != 0;
            return new ArchDescriptor(
                Name: name,
                Invalidation: broadcast ? Invalidation.HardwareBroadcast : Invalidation.Ipi,
                SynchronousOnClear: broadcast && r.Next(3) == 0,
                Levels: 2 + r.Next(4),
                PageSize: PageSizes[r.Next(PageSizes.Length)],
                FragmentsPerPage: Fragments[r.Next(Fragments.Length)],
                PteBits: pte,
                WordBits: word,
                PteSpecial: r.Next(4) != 0,
                Walker: (WalkerKind)r.Next(3),
                SoftwareTlbRefill: r.Next(4) == 0,
                Options: (GatherOptions)r.Next(256),
                FastGup: fastGup,
                // The split read on a PTE that fits in a word is legal (an informational finding), so draw it too.
                PteRead: fastGup && (pte > word || r.Next(4) == 0) ? PteRead.LowHighSplit : PteRead.SingleLoad);
        }
    }
}
