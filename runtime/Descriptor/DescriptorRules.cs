// Shared between the analyzer (netstandard2.0) and the runtime (net10.0): the one place where descriptors are judged.
using System.Collections.Generic;

namespace Shootdown
{
    /// <summary>How bad a finding is.</summary>
    public enum FindingSeverity
    {
        /// <summary>Legal but worth knowing.</summary>
        Info,
        /// <summary>Safe, but a knob costs something real.</summary>
        Warning,
        /// <summary>Unsafe or impossible. Impossible (a Structure error): no code is generated; unsafe (a Safety error): the code is generated as described, race included.</summary>
        Error,
    }

    /// <summary>One judgement on a descriptor.</summary>
    /// <param name="Id">The rule's stable ID (see <see cref="DescriptorRules"/>).</param>
    /// <param name="Slot">The argument the finding is about.</param>
    /// <param name="Message">The message: the race, and the fix.</param>
    public sealed record DescriptorFinding(string Id, DescriptorSlot Slot, string Message)
    {
        /// <summary>The rule behind the finding.</summary>
        public DescriptorRule Rule => DescriptorRules.ById(Id);
    }

    /// <summary>What a rule is about; each rule names its own, so an ID's number says nothing about it.</summary>
    public enum RuleCategory
    {
        /// <summary>A race the explorer can show: the descriptor lets memory be freed while a translation reaches it.</summary>
        Safety,
        /// <summary>Legal, but costs something for nothing (or buys nothing).</summary>
        Cost,
        /// <summary>Impossible values, class shape, names and attributes: no machine can be built from it.</summary>
        Structure,
    }

    /// <summary>A rule: stable ID, severity, short title, and what it is about.</summary>
    /// <param name="Id">Stable ID with the <c>SHD</c> prefix.</param>
    /// <param name="Severity">Severity.</param>
    /// <param name="Title">One-line title.</param>
    /// <param name="Category">Safety (a race), cost, or structure.</param>
    public sealed record DescriptorRule(string Id, FindingSeverity Severity, string Title, RuleCategory Category)
    {
        /// <summary>True when the rule stands for a race the explorer can show.</summary>
        public bool IsRace => Category == RuleCategory.Safety;
    }

    /// <summary>
    /// The semantic and structural rules of the descriptor (docs/diagnostics has one page per rule). The analyzer, the command-line tool and
    /// the race explorer all judge descriptors through <see cref="Check"/>.
    /// </summary>
    public static class DescriptorRules
    {
        /// <summary>Fragmented page-table pages without MMU_GATHER_TABLE_FREE.</summary>
        public const string FragmentsWithoutTableFree = "SHD001";
        /// <summary>A lockless software walker with broadcast invalidation and no MMU_GATHER_RCU_TABLE_FREE.</summary>
        public const string SoftwareWalkerWithoutRcu = "SHD002";
        /// <summary>MMU_GATHER_NO_TABLE_INVALIDATE while the hardware walks the Linux tables.</summary>
        public const string NoTableInvalidateWithWalker = "SHD003";
        /// <summary>MMU_GATHER_NO_GATHER where clearing a PTE does not invalidate every CPU.</summary>
        public const string NoGatherWithoutSyncClear = "SHD004";
        /// <summary>Fast GUP reads a PTE wider than the word with one load.</summary>
        public const string TornPteRead = "SHD005";
        /// <summary>MMU_GATHER_RCU_TABLE_FREE that nothing needs.</summary>
        public const string PointlessRcuTableFree = "SHD006";
        /// <summary>Fast GUP without a PTE special bit only ever takes huge leaves.</summary>
        public const string FastGupWithoutSpecial = "SHD007";
        /// <summary>The low/high split read on a PTE that fits in a word.</summary>
        public const string PointlessSplitRead = "SHD008";
        /// <summary>MMU_GATHER_NO_GATHER without MMU_GATHER_TABLE_FREE.</summary>
        public const string NoGatherWithoutTableFree = "SHD100";
        /// <summary>MMU_GATHER_NO_TABLE_INVALIDATE without MMU_GATHER_RCU_TABLE_FREE.</summary>
        public const string NoTableInvalidateWithoutRcu = "SHD101";
        /// <summary>Impossible PTE or word width.</summary>
        public const string BadWidth = "SHD102";
        /// <summary>Levels outside 2 to 5.</summary>
        public const string BadLevels = "SHD103";
        /// <summary>Page size not one Linux ships (4 KiB to 64 KiB, or 256 KiB).</summary>
        public const string BadPageSize = "SHD104";
        /// <summary>Fragments per page not 1 nor a power of two Linux uses at that level (PTE up to 256, PMD up to 16).</summary>
        public const string BadFragments = "SHD105";
        /// <summary>Descriptor class not partial.</summary>
        public const string NotPartial = "SHD106";
        /// <summary>Descriptor class generic.</summary>
        public const string Generic = "SHD107";
        /// <summary>Descriptor class nested in a non-partial type.</summary>
        public const string NestedInNonPartial = "SHD108";
        /// <summary>Two architectures with one name.</summary>
        public const string DuplicateName = "SHD109";
        /// <summary>A required aspect attribute is missing.</summary>
        public const string MissingAspect = "SHD110";
        /// <summary>An argument has no valid value (empty name, undefined enum value, unreadable constant).</summary>
        public const string BadArgument = "SHD111";
        /// <summary>An aspect attribute on a class without <c>[Architecture]</c>.</summary>
        public const string AspectWithoutArchitecture = "SHD112";
        /// <summary>Synchronous-on-clear invalidation described as IPI invalidation.</summary>
        public const string SyncClearWithIpi = "SHD113";
        /// <summary>A PTE table that does not fit its page or fragment, or upper tables of an impossible size.</summary>
        public const string BadTableSize = "SHD114";
        /// <summary>A user declaration has the name of a member the generator adds, or the class cannot take a generated part.</summary>
        public const string GeneratedNameClash = "SHD115";
        /// <summary>Reported by the generator: an architecture class got no generated code, and which errors caused it.</summary>
        public const string NothingGenerated = "SHD116";
        /// <summary>A knob written for a kernel that the descriptor's Linux era is not (<see cref="KnobEras"/>).</summary>
        public const string KnobNotInEra = "SHD117";

        /// <summary>Every rule, by ID order.</summary>
        public static readonly IReadOnlyList<DescriptorRule> All = new[]
        {
            new DescriptorRule(FragmentsWithoutTableFree, FindingSeverity.Error, "Fragmented page tables need MMU_GATHER_TABLE_FREE", RuleCategory.Safety),
            new DescriptorRule(SoftwareWalkerWithoutRcu, FindingSeverity.Error, "A lockless walker with broadcast invalidation needs MMU_GATHER_RCU_TABLE_FREE", RuleCategory.Safety),
            new DescriptorRule(NoTableInvalidateWithWalker, FindingSeverity.Error, "MMU_GATHER_NO_TABLE_INVALIDATE while the hardware walks the page tables", RuleCategory.Safety),
            new DescriptorRule(NoGatherWithoutSyncClear, FindingSeverity.Error, "MMU_GATHER_NO_GATHER needs PTE clearing that invalidates every CPU", RuleCategory.Safety),
            new DescriptorRule(TornPteRead, FindingSeverity.Error, "Fast GUP reads a PTE wider than the machine word with one load", RuleCategory.Safety),
            new DescriptorRule(PointlessRcuTableFree, FindingSeverity.Info, "MMU_GATHER_RCU_TABLE_FREE is not needed here", RuleCategory.Cost),
            new DescriptorRule(FastGupWithoutSpecial, FindingSeverity.Warning, "Fast GUP without a PTE special bit always falls back to slow GUP for small pages", RuleCategory.Cost),
            new DescriptorRule(PointlessSplitRead, FindingSeverity.Info, "The low/high split PTE read is not needed when the PTE fits in a word", RuleCategory.Cost),
            new DescriptorRule(NoGatherWithoutTableFree, FindingSeverity.Error, "MMU_GATHER_NO_GATHER depends on MMU_GATHER_TABLE_FREE", RuleCategory.Structure),
            new DescriptorRule(NoTableInvalidateWithoutRcu, FindingSeverity.Error, "MMU_GATHER_NO_TABLE_INVALIDATE requires MMU_GATHER_RCU_TABLE_FREE", RuleCategory.Structure),
            new DescriptorRule(BadWidth, FindingSeverity.Error, "Impossible PTE or machine word width", RuleCategory.Structure),
            new DescriptorRule(BadLevels, FindingSeverity.Error, "Page-table levels must be 2 to 5", RuleCategory.Structure),
            new DescriptorRule(BadPageSize, FindingSeverity.Error, "Page size must be one Linux ships: 4, 8, 16, 32, 64 or 256 KiB", RuleCategory.Structure),
            new DescriptorRule(BadFragments, FindingSeverity.Error, "Fragments per page must be 1 or a power of two Linux uses: up to 256 PTE and 16 PMD tables", RuleCategory.Structure),
            new DescriptorRule(NotPartial, FindingSeverity.Error, "Architecture class must be partial", RuleCategory.Structure),
            new DescriptorRule(Generic, FindingSeverity.Error, "Architecture class must not be generic", RuleCategory.Structure),
            new DescriptorRule(NestedInNonPartial, FindingSeverity.Error, "Architecture class is nested in a non-partial type", RuleCategory.Structure),
            new DescriptorRule(DuplicateName, FindingSeverity.Error, "Two architectures have the same name", RuleCategory.Structure),
            new DescriptorRule(MissingAspect, FindingSeverity.Error, "Architecture is missing a required attribute", RuleCategory.Structure),
            new DescriptorRule(BadArgument, FindingSeverity.Error, "Descriptor argument has no valid value", RuleCategory.Structure),
            new DescriptorRule(AspectWithoutArchitecture, FindingSeverity.Warning, "Descriptor attribute without [Architecture] has no effect", RuleCategory.Structure),
            new DescriptorRule(SyncClearWithIpi, FindingSeverity.Error, "Invalidation on PTE clear is a hardware broadcast, not an IPI", RuleCategory.Structure),
            new DescriptorRule(BadTableSize, FindingSeverity.Error, "Page-table sizes must be powers of two that fit their pages", RuleCategory.Structure),
            new DescriptorRule(GeneratedNameClash, FindingSeverity.Error, "Declaration collides with the generated members", RuleCategory.Structure),
            new DescriptorRule(NothingGenerated, FindingSeverity.Warning, "No code is generated for the architecture class", RuleCategory.Structure),
            new DescriptorRule(KnobNotInEra, FindingSeverity.Warning, "Descriptor knob does not exist in the descriptor's Linux era", RuleCategory.Structure),
        };

        /// <summary>The rule with ID <paramref name="id"/>.</summary>
        public static DescriptorRule ById(string id)
        {
            foreach (var rule in All)
            {
                if (rule.Id == id) return rule;
            }
            throw new KeyNotFoundException("No descriptor rule " + id);
        }

        /// <summary>True when <paramref name="d"/> has any error-severity finding.</summary>
        public static bool HasErrors(ArchDescriptor d)
        {
            foreach (var f in Check(d))
            {
                if (f.Rule.Severity == FindingSeverity.Error) return true;
            }
            return false;
        }

        /// <summary>
        /// True when a finding of <paramref name="rule"/> means the generator emits nothing for the class: a Structure error,
        /// whose generated code would not be well-defined. A Safety error is a race in a well-defined machine, generated as
        /// described so the explorer can show it (docs/diagnostics/README.md).
        /// </summary>
        public static bool RefusesCode(DescriptorRule rule) => rule.Severity == FindingSeverity.Error && rule.Category == RuleCategory.Structure;

        // The rules whose findings mean no page tables can be built for the descriptor at all.
        private static readonly string[] ShapeRules = { BadWidth, BadLevels, BadPageSize, BadFragments, BadTableSize };

        /// <summary>
        /// True when <see cref="Check"/> finds no structural error (races aside): the one structural-validity check, with
        /// every limit of <c>CheckStructure</c>, and so exactly the descriptors the generator emits code for.
        /// </summary>
        public static bool IsStructurallyValid(ArchDescriptor d)
        {
            var found = new List<DescriptorFinding>();
            CheckStructure(d, found);
            foreach (var f in found)
            {
                if (f.Rule.Severity == FindingSeverity.Error) return false;
            }
            return true;
        }

        /// <summary>
        /// True when page tables can be shaped for <paramref name="d"/>: no structural finding about widths, levels, page
        /// size, fragments or table sizes. Weaker than <see cref="IsStructurallyValid"/>: an option set Kconfig refuses
        /// (SHD100, SHD101) or sync-clear with IPIs (SHD113) still runs, so witnesses of such descriptors replay.
        /// </summary>
        public static bool CanShapeTables(ArchDescriptor d)
        {
            var found = new List<DescriptorFinding>();
            CheckStructure(d, found);
            return !HasShapeFinding(found);
        }

        private static bool HasShapeFinding(List<DescriptorFinding> found)
        {
            foreach (var f in found)
            {
                if (System.Array.IndexOf(ShapeRules, f.Id) >= 0) return true;
            }
            return false;
        }

        /// <summary>True when <paramref name="d"/> breaks a rule that stands for a race (SHD001 to SHD005).</summary>
        public static bool IsUnsafe(ArchDescriptor d)
        {
            foreach (var f in Check(d))
            {
                if (f.Rule.IsRace) return true;
            }
            return false;
        }

        /// <summary>
        /// Judges the values of a descriptor: structure first, then the races wherever the values still mean something
        /// (impossible shapes and undefined values make the safety rules meaningless). Findings about the class shape, names and missing attributes come from the parser.
        /// </summary>
        public static List<DescriptorFinding> Check(ArchDescriptor d)
        {
            var found = new List<DescriptorFinding>();
            CheckStructure(d, found);
            // A race rule is well-defined once every value means something (no impossible shape, no undefined value);
            // an option set Kconfig refuses (SHD100, SHD101) or sync-clear with IPIs (SHD113) does not stop it, so one
            // round of fixes sees every error at once.
            if (!HasShapeFinding(found) && !found.Exists(f => f.Id == BadArgument)) CheckSafety(d, found);
            return found;
        }

        private static void CheckStructure(ArchDescriptor d, List<DescriptorFinding> found)
        {
            if (d.Name.Trim().Length == 0)
                found.Add(new(BadArgument, DescriptorSlot.Name, "The architecture name is empty; give it the name Linux uses (for example \"x86-64\")"));
            if (!Allowed(DescriptorSlot.PteBits, d))
                found.Add(new(BadWidth, DescriptorSlot.PteBits, $"A PTE is 32 or 64 bits wide, not {d.PteBits}"));
            if (!Allowed(DescriptorSlot.WordBits, d))
                found.Add(new(BadWidth, DescriptorSlot.WordBits, $"A machine word is 32 or 64 bits wide, not {d.WordBits}"));
            else if (Allowed(DescriptorSlot.PteBits, d) && d.PteBits < d.WordBits)
                found.Add(new(BadWidth, DescriptorSlot.PteBits, $"A {d.PteBits}-bit PTE on a {d.WordBits}-bit machine does not exist in Linux; use {d.WordBits}-bit PTEs"));
            if (!Allowed(DescriptorSlot.AtomicLoadBits, d) || d.AtomicLoadBits != 0 && d.AtomicLoadBits < d.WordBits)
                found.Add(new(BadWidth, DescriptorSlot.AtomicLoadBits, $"AtomicLoadBits is 32 or 64 and no narrower than the {d.WordBits}-bit word, not {d.AtomicLoadBits}"));
            if (!Allowed(DescriptorSlot.Levels, d))
                found.Add(new(BadLevels, DescriptorSlot.Levels, $"CONFIG_PGTABLE_LEVELS is 2 to 5, not {d.Levels}"));
            if (!Allowed(DescriptorSlot.PageSize, d))
                found.Add(new(BadPageSize, DescriptorSlot.PageSize, $"The page size must be one of mm/Kconfig's PAGE_SIZE_* choices: 4096, 8192, 16384, 32768, 65536 or 262144 bytes, not {d.PageSize}"));
            if (!Allowed(DescriptorSlot.FragmentsPerPage, d))
                found.Add(new(BadFragments, DescriptorSlot.FragmentsPerPage, $"FragmentsPerPage (PTE_FRAG_NR) must be 1 (full pages) or a power of two from 2 to 256 (powerpc64 radix with 64 KiB pages: 256), not {d.FragmentsPerPage}"));
            if (!Allowed(DescriptorSlot.PmdFragmentsPerPage, d))
                found.Add(new(BadFragments, DescriptorSlot.PmdFragmentsPerPage, $"PmdFragmentsPerPage (PMD_FRAG_NR) must be 1 (full pages) or a power of two from 2 to 16 (powerpc64 radix with 64 KiB pages: 16), not {d.PmdFragmentsPerPage}"));
            else if (d.PmdFragmentsPerPage > 1 && d.Levels == 2)
                found.Add(new(BadFragments, DescriptorSlot.PmdFragmentsPerPage, $"2-level page tables have no PMD level (it is folded), so PMD tables cannot be {d.PmdFragmentsPerPage} to a page; remove PmdFragmentsPerPage"));
            CheckTableSizes(d, found);
            if (!IsDefined(d.Invalidation))
                found.Add(new(BadArgument, DescriptorSlot.Invalidation, $"{(int)d.Invalidation} is not an Invalidation value"));
            if (d.Walker < WalkerKind.None || d.Walker > WalkerKind.CachesUpperLevels)
                found.Add(new(BadArgument, DescriptorSlot.Walker, $"{(int)d.Walker} is not a WalkerKind value"));
            if (d.PteRead != PteRead.SingleLoad && d.PteRead != PteRead.LowHighSplit)
                found.Add(new(BadArgument, DescriptorSlot.PteRead, $"{(int)d.PteRead} is not a PteRead value"));
            // Every other enum knob (the Linux era): a value its enum does not define.
            foreach (var knob in DescriptorKnobs.All)
            {
                if (knob.Kind != KnobKind.Enum || found.Exists(f => f.Slot == knob.Slot) || knob.Slot is DescriptorSlot.Invalidation or DescriptorSlot.Walker or DescriptorSlot.PteRead) continue;
                if (!System.Enum.IsDefined(knob.EnumType!, knob.Get(d)))
                    found.Add(new(BadArgument, knob.Slot, $"{knob.Get(d)} is not a {knob.EnumType!.Name} value"));
            }
            if (System.Enum.IsDefined(typeof(LinuxEra), d.Linux)) found.AddRange(KnobEras.Check(d));
            if ((d.Options & ~AllOptions) != 0)
                found.Add(new(BadArgument, DescriptorSlot.Options, $"0x{(int)d.Options:x} has bits that are no MMU_GATHER option"));
            if (d.Has(GatherOptions.NoGather) && !d.Has(GatherOptions.TableFree))
                found.Add(new(NoGatherWithoutTableFree, DescriptorSlot.Options, "MMU_GATHER_NO_GATHER depends on MMU_GATHER_TABLE_FREE (arch/Kconfig): without a table batch, page tables would go through the page batch that NO_GATHER removes; add GatherOptions.TableFree"));
            if (d.Has(GatherOptions.NoTableInvalidate) && !d.Has(GatherOptions.RcuTableFree))
                found.Add(new(NoTableInvalidateWithoutRcu, DescriptorSlot.Options, "MMU_GATHER_NO_TABLE_INVALIDATE only means something with MMU_GATHER_RCU_TABLE_FREE (asm-generic/tlb.h has an #error for it); add GatherOptions.RcuTableFree or remove NoTableInvalidate"));
            // INVLPGB per mm (arch/x86/mm/tlb.c broadcast_tlb_flush) is a choice between broadcast and IPIs, from v6.15 on.
            if (d.GlobalAsidBroadcast && d.Invalidation != Invalidation.Ipi)
                found.Add(new(BadArgument, DescriptorSlot.GlobalAsidBroadcast, "GlobalAsidBroadcast chooses broadcast over IPIs for an mm with a global ASID; with Invalidation.HardwareBroadcast every mm broadcasts already: use Invalidation.Ipi with it, or remove it"));
            else if (d.GlobalAsidBroadcast && d.Linux == LinuxEra.V6_1)
                found.Add(new(BadArgument, DescriptorSlot.GlobalAsidBroadcast, "Linux v6.1 (LinuxEra.V6_1) has no INVLPGB broadcast flush: global ASIDs came with v6.15; remove GlobalAsidBroadcast or follow a later era"));
            if (d.SynchronousOnClear && d.Invalidation == Invalidation.Ipi)
                found.Add(new(SyncClearWithIpi, DescriptorSlot.SynchronousOnClear, "Clearing a PTE that invalidates every CPU before it returns (s390 IPTE) is a hardware broadcast; use Invalidation.HardwareBroadcast"));
            // The address span is judged once the shape is sound, whatever option findings came before.
            var shaped = !HasShapeFinding(found);
            if (shaped && GatherGeometry.FullSpanBits(d) > 64)
                found.Add(new(BadLevels, DescriptorSlot.Levels,
                    $"{d.Levels} levels of {d.PageSize / 1024} KiB-page tables translate {GatherGeometry.FullSpanBits(d)} bits of address, more than a 64-bit address has; use fewer levels (arm64 with 64 KiB pages has at most 3)"));
            else if (shaped && d.WordBits == 32 && GatherGeometry.LevelShift(d, d.Levels - 1) >= 32)
                found.Add(new(BadLevels, DescriptorSlot.Levels,
                    $"Below the top level, {d.Levels} levels of {d.PageSize / 1024} KiB-page tables with {d.PteBits}-bit entries already translate {GatherGeometry.LevelShift(d, d.Levels - 1)} bits, and a 32-bit machine has 32-bit addresses; use fewer levels (x86 PAE and ARM LPAE have 3)"));
        }

        // The value of the knob at slot is one its row of DescriptorKnobs lists.
        private static bool Allowed(DescriptorSlot slot, ArchDescriptor d)
        {
            var knob = DescriptorKnobs.Of(slot)!;
            return knob.Allows(knob.Get(d));
        }

        private static void CheckTableSizes(ArchDescriptor d, List<DescriptorFinding> found)
        {
            // With a bad width, page size, level count or fragment count there is no table size to judge against.
            if (!d.DeclaresEntries || found.Count > 0 || d.Levels < 2 || d.Levels > 5
                || (d.PteBits != 32 && d.PteBits != 64) || d.PageSize < 4096 || d.FragmentsPerPage < 1 || d.PmdFragmentsPerPage < 1) return;
            var pteBytes = d.PteBits / 8;
            CheckEntries(d, found, DescriptorSlot.PtrsPerPte, d.PtrsPerPte, 0, d.PageSize / d.FragmentsPerPage / pteBytes,
                $"a {d.PageSize / d.FragmentsPerPage}-byte PTE table holds");
            if (d.PmdFragmentsPerPage > 1)
                CheckEntries(d, found, DescriptorSlot.PtrsPerPmd, d.PtrsPerPmd, d.Levels > 2 ? 1 : -1, d.PageSize / d.PmdFragmentsPerPage / pteBytes,
                    $"a {d.PageSize / d.PmdFragmentsPerPage}-byte PMD fragment holds");
            else
                CheckEntries(d, found, DescriptorSlot.PtrsPerPmd, d.PtrsPerPmd, d.Levels > 2 ? 1 : -1, MaxTablePages * d.PageSize / pteBytes, UpperRoom(d));
            CheckEntries(d, found, DescriptorSlot.PtrsPerPud, d.PtrsPerPud, d.Levels > 3 ? 2 : -1, MaxTablePages * d.PageSize / pteBytes, UpperRoom(d));
            CheckEntries(d, found, DescriptorSlot.PtrsPerP4d, d.PtrsPerP4d, d.Levels > 4 ? 3 : -1, MaxTablePages * d.PageSize / pteBytes, UpperRoom(d));
            CheckEntries(d, found, DescriptorSlot.PtrsPerPgd, d.PtrsPerPgd, d.Levels - 1, MaxTablePages * d.PageSize / pteBytes, UpperRoom(d));
        }

        // The largest Linux table is powerpc64 radix's 64 KiB PGD with 4 KiB pages (RADIX_PGD_INDEX_SIZE 13).
        private const int MaxTablePages = 16;

        private static string UpperRoom(ArchDescriptor d) => $"{MaxTablePages} pages of {d.PageSize / 1024} KiB hold";

        private static void CheckEntries(ArchDescriptor d, List<DescriptorFinding> found, DescriptorSlot slot, int entries, int at, int room, string roomText)
        {
            if (entries == 0) return;
            var macro = DescriptorKnobs.Of(slot)!.Linux;
            var level = macro.Substring("PTRS_PER_".Length);
            if (at < 0)
                found.Add(new(BadTableSize, slot, $"{d.Levels}-level page tables have no {level} level (it is folded), so {macro} cannot be {entries}; remove it"));
            else if (entries < 2 || (entries & (entries - 1)) != 0 || entries > room)
                found.Add(new(BadTableSize, slot, $"{macro} must be a power of two from 2 to the {room} {d.PteBits}-bit entries {roomText} (an index is address bits), not {entries}"));
        }

        /// <summary>True when every <c>PTRS_PER_*</c> of <paramref name="d"/> is one its tables can have (or there is no table size to judge them by).</summary>
        internal static bool TableSizesFit(ArchDescriptor d)
        {
            var found = new List<DescriptorFinding>();
            CheckTableSizes(d, found);
            return found.Count == 0;
        }

        private static void CheckSafety(ArchDescriptor d, List<DescriptorFinding> found)
        {
            if (d.HasFragments && !d.Has(GatherOptions.TableFree))
                found.Add(new(FragmentsWithoutTableFree, d.FragmentsPerPage > 1 ? DescriptorSlot.FragmentsPerPage : DescriptorSlot.PmdFragmentsPerPage,
                    $"With {(d.FragmentsPerPage > 1 ? d.FragmentsPerPage + " page tables" : d.PmdFragmentsPerPage + " PMD tables")} per page, tlb_remove_table falls back to tlb_remove_page and frees the whole page while another fragment is still a live page table; add GatherOptions.TableFree"));
            if (d.HasSoftwareWalker && d.MayBroadcast && !d.Has(GatherOptions.RcuTableFree))
                found.Add(new(SoftwareWalkerWithoutRcu, DescriptorSlot.Invalidation,
                    $"{WalkerName(d)} walks the page tables with interrupts off, but a broadcast TLB flush{(d.Invalidation == Invalidation.Ipi ? " (INVLPGB, for an mm with a global ASID)" : "")} waits for nobody: munmap unhooks, flushes and frees a page table the walker is still reading; add GatherOptions.RcuTableFree"));
            if (d.Has(GatherOptions.NoTableInvalidate) && d.HardwareWalksTables)
                found.Add(new(NoTableInvalidateWithWalker, DescriptorSlot.Options,
                    "The hardware walks the Linux page tables, so without tlb_table_invalidate a TLB or page-walk cache entry still points at a freed page table (the powerpc radix corruption fixed in 2020); remove GatherOptions.NoTableInvalidate"));
            if (d.Has(GatherOptions.NoGather) && !d.SynchronousOnClear)
                found.Add(new(NoGatherWithoutSyncClear, DescriptorSlot.Options,
                    "With MMU_GATHER_NO_GATHER pages are freed as soon as their PTE is cleared; unless clearing invalidates every CPU at once (s390 IPTE), another CPU's stale TLB entry writes into the freed page; remove GatherOptions.NoGather"));
            if (d.FastGup && d.PteWiderThanWord && d.PteRead == PteRead.SingleLoad)
                found.Add(new(TornPteRead, DescriptorSlot.PteRead,
                    $"A {d.PteBits}-bit PTE on a {d.WordBits}-bit machine is read in two halves; a single load can see the new high half with the old low half and pin a page that was never mapped there; use PteRead.LowHighSplit (GUP_GET_PXX_LOW_HIGH)"));
            if (d.Has(GatherOptions.RcuTableFree) && d.Invalidation == Invalidation.Ipi && !d.HasSoftwareWalker)
                found.Add(new(PointlessRcuTableFree, DescriptorSlot.Options, PointlessRcuTableFreeMessage(d)));
            if (d.FastGup && !d.PteSpecial)
                found.Add(new(FastGupWithoutSpecial, DescriptorSlot.FastGup,
                    "Without a PTE special bit (ARCH_HAS_PTE_SPECIAL) gup_fast cannot tell special mappings apart and gives up on every small page, falling back to slow GUP under the mmap lock; describe the special bit if the PTE has one"));
            if (d.FastGup && !d.PteWiderThanWord && d.PteRead == PteRead.LowHighSplit)
                found.Add(new(PointlessSplitRead, DescriptorSlot.PteRead,
                    $"A {d.PteBits}-bit PTE on a {d.WordBits}-bit machine is read in one load; the split read costs two extra loads and barriers per PTE; use PteRead.SingleLoad"));
        }

        // SHD006 in the descriptor's era (docs/diagnostics/SHD006.md): no race needs the RCU delay in any era, but what it
        // costs a lone table differs (LinuxEras.RemoveTableOne), and from the stable kernels on it also buys
        // CONFIG_PT_RECLAIM, for which Qi Zheng's early-2026 series ("mm: make PT_RECLAIM depends on
        // MMU_GATHER_RCU_TABLE_FREE", v4) made alpha, LoongArch, MIPS, parisc and um select MMU_GATHER_RCU_TABLE_FREE.
        private static string PointlessRcuTableFreeMessage(ArchDescriptor d)
        {
            var text = "IPI invalidation already waits for every CPU and nothing walks the tables locklessly, so no race needs RCU table freeing; in "
                + LinuxEras.Name(d.Linux) + " it delays every table batch by a grace period, and a table freed alone because the batch page could not be allocated "
                + LinuxEras.RemoveTableOneText(d);
            if (LinuxEras.PtReclaim(d))
                return text + "; it also turns on CONFIG_PT_RECLAIM (empty PTE tables freed on MADV_DONTNEED), which is why Linux made alpha, LoongArch, MIPS, parisc and um select MMU_GATHER_RCU_TABLE_FREE in early 2026: keep it for that, or let GatherOptions.RcuTableFree go (GatherOptions.TableFree keeps the table batch)";
            return text + "; GatherOptions.RcuTableFree can go (GatherOptions.TableFree keeps the table batch)";
        }

        private const GatherOptions AllOptions = GatherOptions.TableFree | GatherOptions.RcuTableFree | GatherOptions.NoTableInvalidate
            | GatherOptions.NoRange | GatherOptions.MergeVmas | GatherOptions.NoFlushCache | GatherOptions.NoGather | GatherOptions.PageSize;

        private static bool IsDefined(Invalidation mode) => mode == Invalidation.Ipi || mode == Invalidation.HardwareBroadcast;

        private static string WalkerName(ArchDescriptor d) =>
            d.FastGup && d.SoftwareTlbRefill ? "Fast GUP (and the software TLB refill handler)"
            : d.FastGup ? "Fast GUP" : "The software TLB refill handler";
    }
}
