// Shared between the analyzer (netstandard2.0) and the runtime (net10.0): which descriptor knobs a Linux era has
// (docs/linux-eras.md, "Knobs per era"; the rule is SHD117).
using System.Collections.Generic;

namespace Shootdown
{
    /// <summary>
    /// The descriptor knobs that some Linux era does not have. Only what was checked against Linux is listed: every other
    /// knob exists, under the same meaning, in every era the model knows (docs/linux-eras.md says which were checked).
    /// </summary>
    public static class KnobEras
    {
        /// <summary>
        /// Why <paramref name="slot"/> does not exist in <paramref name="era"/>, or null when it does. A knob at its
        /// default is never asked about: only one that is written says something about the kernel.
        /// </summary>
        public static string? Absence(DescriptorSlot slot, LinuxEra era) => (slot, era) switch
        {
            // v6.1 include/asm-generic/tlb.h declares __tlb_remove_table for the arch to define: every
            // MMU_GATHER_TABLE_FREE arch has its own, so there is no generic one to opt out of. Qi Zheng's page-table
            // reclaim series (v6.14) added the generic one under #ifndef __HAVE_ARCH_TLB_REMOVE_TABLE, which powerpc and
            // sparc64 define; "mm: convert __HAVE_ARCH_TLB_REMOVE_TABLE to CONFIG_HAVE_ARCH_TLB_REMOVE_TABLE config"
            // (v4 7/8, 2026-01-27) made it a Kconfig symbol.
            (DescriptorSlot.ArchTlbRemoveTable, LinuxEra.V6_1) =>
                "there is no generic __tlb_remove_table to opt out of before v6.14 (every MMU_GATHER_TABLE_FREE arch defines its own in asm/tlb.h), and nothing it keeps off: CONFIG_PT_RECLAIM came with the same v6.14 series",
            _ => null,
        };

        /// <summary>The findings of <paramref name="d"/>'s written knobs that its era does not have.</summary>
        public static IEnumerable<DescriptorFinding> Check(ArchDescriptor d)
        {
            foreach (var knob in DescriptorKnobs.All)
            {
                if (knob.Get(d) == knob.Default) continue;
                var why = Absence(knob.Slot, d.Linux);
                if (why is null) continue;
                yield return new DescriptorFinding(DescriptorRules.KnobNotInEra, knob.Slot,
                    $"{knob.Named ?? knob.Name} ({knob.Linux}) does not exist in {LinuxEras.Name(d.Linux)}: {why}; remove it, or name the era whose kernel has it (for example Linux = LinuxEra.Stable)");
            }
        }
    }
}
