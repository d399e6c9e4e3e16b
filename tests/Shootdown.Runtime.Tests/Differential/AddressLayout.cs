using System;
using Shootdown.Simulation;

namespace Shootdown.Runtime.Tests.Differential
{
    /// <summary>
    /// Where a differential program puts its mappings: slots of one PMD each, half of them low in the address space and
    /// half in the upper half, so emptying a zone frees upper-level tables too. Scaled to the machine's geometry.
    /// </summary>
    internal sealed class AddressLayout
    {
        public AddressLayout(PageTableGeometry g)
        {
            Page = (ulong)g.PageSize;
            Pmd = g.EntrySize(1);
            PagesPerPmd = (int)(Pmd / Page);
            // Slots start a PMD above each zone's base, or at it where a zone is a single PMD (powerpc-44x-256k: 2 GiB
            // PTE-table spans in a 32-bit space, FIRST_USER_ADDRESS 0).
            var pmdsPerZone = g.TaskSize / 2 / Pmd;
            First = pmdsPerZone >= 2 ? 1UL : 0UL;
            var perZone = (int)Math.Min(pmdsPerZone - First, 12);
            if (perZone < 1) throw new NotSupportedException($"a {g.AddressBits}-bit address space has too few PMDs for the differential layout");
            Slots = 2 * perZone;
            HighZone = g.TaskSize / 2;
        }

        /// <summary>PAGE_SIZE.</summary>
        public ulong Page { get; }

        /// <summary>The span of one PMD entry (the huge page size).</summary>
        public ulong Pmd { get; }

        /// <summary>Base pages per PMD.</summary>
        public int PagesPerPmd { get; }

        /// <summary>Slots in both zones.</summary>
        public int Slots { get; }

        private ulong HighZone { get; }

        private ulong First { get; }

        /// <summary>The first address of slot <paramref name="slot"/>: even slots low, odd slots high; slot s-2 lies just below slot s.</summary>
        public ulong SlotBase(int slot) => (slot % 2 == 0 ? 0 : HighZone) + (ulong)(slot / 2) * Pmd + First * Pmd;
    }
}
