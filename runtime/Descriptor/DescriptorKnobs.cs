// Shared between the analyzer (netstandard2.0) and the runtime (net10.0): the one declaration of every descriptor knob.
using System;
using System.Collections.Generic;

namespace Shootdown
{
    /// <summary>The attribute argument a finding is about, so the analyzer can put its squiggle exactly there.</summary>
    public enum DescriptorSlot
    {
        /// <summary>The class declaration itself (its name).</summary>
        Class,
        /// <summary><c>[Architecture(name)]</c>.</summary>
        Name,
        /// <summary><c>[TlbInvalidation(mode)]</c>.</summary>
        Invalidation,
        /// <summary><c>[TlbInvalidation(SynchronousOnClear = ...)]</c>.</summary>
        SynchronousOnClear,
        /// <summary><c>[PageTables(levels)]</c>.</summary>
        Levels,
        /// <summary><c>[PageTables(PageSize = ...)]</c>.</summary>
        PageSize,
        /// <summary><c>[PageTables(FragmentsPerPage = ...)]</c>.</summary>
        FragmentsPerPage,
        /// <summary><c>[PteFormat(pteBits, ...)]</c>.</summary>
        PteBits,
        /// <summary><c>[PteFormat(..., wordBits)]</c>.</summary>
        WordBits,
        /// <summary><c>[PteFormat(SpecialBit = ...)]</c>.</summary>
        PteSpecial,
        /// <summary><c>[HardwareWalker(kind)]</c>.</summary>
        Walker,
        /// <summary><c>[SoftwareTlbRefill]</c>.</summary>
        SoftwareTlbRefill,
        /// <summary><c>[Gather(options)]</c>.</summary>
        Options,
        /// <summary><c>[FastGup]</c> itself.</summary>
        FastGup,
        /// <summary><c>[FastGup(read)]</c>.</summary>
        PteRead,
        /// <summary><c>[PteFormat(AtomicLoadBits = ...)]</c>.</summary>
        AtomicLoadBits,
        /// <summary><c>[PageTables(PtrsPerPte = ...)]</c>.</summary>
        PtrsPerPte,
        /// <summary><c>[PageTables(PtrsPerPmd = ...)]</c>.</summary>
        PtrsPerPmd,
        /// <summary><c>[PageTables(PtrsPerPud = ...)]</c>.</summary>
        PtrsPerPud,
        /// <summary><c>[PageTables(PtrsPerP4d = ...)]</c>.</summary>
        PtrsPerP4d,
        /// <summary><c>[PageTables(PtrsPerPgd = ...)]</c>.</summary>
        PtrsPerPgd,
        /// <summary><c>[Architecture(Linux = ...)]</c>.</summary>
        Linux,
        /// <summary><c>[Gather(ArchTlbRemoveTable = ...)]</c>.</summary>
        ArchTlbRemoveTable,
        /// <summary><c>[Gather(PmdFreeFlushesAll = ...)]</c>.</summary>
        PmdFreeFlushesAll,
        /// <summary><c>[TlbInvalidation(FullMm = ...)]</c>.</summary>
        FullMmFlush,
        /// <summary><c>[TlbInvalidation(GlobalAsidBroadcast = ...)]</c>.</summary>
        GlobalAsidBroadcast,
        /// <summary><c>[PageTables(PmdFragmentsPerPage = ...)]</c>.</summary>
        PmdFragmentsPerPage,
    }

    /// <summary>What kind of value a knob holds; decides how it is read, written in source, emitted and encoded.</summary>
    public enum KnobKind
    {
        /// <summary>true or false (0 or 1).</summary>
        Bool,
        /// <summary>A number.</summary>
        Int,
        /// <summary>A value of <see cref="DescriptorKnob.EnumType"/>.</summary>
        Enum,
        /// <summary>A set of <see cref="GatherOptions"/>.</summary>
        Flags,
    }

    /// <summary>
    /// How a knob is written in a descriptor id. <see cref="Field"/> 0 to 9 are the always-present dot-separated fields,
    /// each the concatenation of its knobs' parts in table order; -1 is an optional trailing field <c>&lt;prefix&gt;&lt;n&gt;</c>,
    /// written only when the value is not the default (or, with <see cref="Tokens"/>, the value's token).
    /// </summary>
    /// <param name="Field">Which field, or -1 for an optional one.</param>
    /// <param name="Prefix">Text before the number (or the option list).</param>
    /// <param name="Suffix">Text after the number.</param>
    /// <param name="Scale">The number written is the value divided by this (page size in KiB).</param>
    /// <param name="Tokens">For bools and enums: the text of each value, by value; no number then.</param>
    public sealed record IdPart(int Field, string Prefix = "", string Suffix = "", int Scale = 1, string[]? Tokens = null);

    /// <summary>
    /// One descriptor knob: its name (the <see cref="ArchDescriptor"/> property), kind, the Linux name it stands for, its
    /// default, the attribute and argument that carry it, and its part of a descriptor id. Parsing, the generated
    /// <c>Descriptor</c> initializer, descriptor ids and the test source writer are all derived from <see cref="DescriptorKnobs.All"/>.
    /// </summary>
    public sealed class DescriptorKnob
    {
        internal DescriptorKnob(DescriptorSlot slot, KnobKind kind, string linux, int @default, string attribute, int position, string? named,
            bool positional, IdPart id, Func<ArchDescriptor, int> get, Func<ArchDescriptor, int, ArchDescriptor> with, Type? enumType = null, bool presence = false,
            int[]? values = null, int[]? explored = null)
        {
            Slot = slot; Kind = kind; Linux = linux; Default = @default; Attribute = attribute; Position = position; Named = named;
            Positional = positional; Id = id; Get = get; With = with; EnumType = enumType; Presence = presence;
            this.values = values; Explored = explored;
        }

        /// <summary>The slot (and property name) of the knob.</summary>
        public DescriptorSlot Slot { get; }
        /// <summary>The <see cref="ArchDescriptor"/> property.</summary>
        public string Name => Slot.ToString();
        /// <summary>How the value is read and written.</summary>
        public KnobKind Kind { get; }
        /// <summary>The Linux name (Kconfig symbol, macro or instruction) the knob stands for.</summary>
        public string Linux { get; }
        /// <summary>The value when the argument (or its attribute) is not written.</summary>
        public int Default { get; }
        /// <summary>The attribute that carries it, as users write it (<c>PageTables</c>).</summary>
        public string Attribute { get; }
        /// <summary>The constructor-argument index, or -1.</summary>
        public int Position { get; }
        /// <summary>The named argument, or null.</summary>
        public string? Named { get; }
        /// <summary>The attribute's presence is the value (<c>[SoftwareTlbRefill]</c>, <c>[FastGup]</c>).</summary>
        public bool Presence { get; }
        /// <summary>A positional parameter of <see cref="ArchDescriptor"/>'s constructor (else an init property).</summary>
        public bool Positional { get; }
        /// <summary>Its part of a descriptor id.</summary>
        public IdPart Id { get; }
        /// <summary>The enum type of an <see cref="KnobKind.Enum"/> or <see cref="KnobKind.Flags"/> knob.</summary>
        public Type? EnumType { get; }
        /// <summary>
        /// Every value the knob may take on its own, when that is a short list (widths, levels, page sizes, fragment
        /// counts); null when the range is a rule of its own (enums: their defined values; PTRS_PER_*: powers of two that
        /// fit the table). <see cref="DescriptorRules"/> judges the value against it; limits between knobs stay rules.
        /// </summary>
        public IReadOnlyList<int>? Values => values;
        private readonly int[]? values;
        /// <summary>
        /// The values the agreement space of the explorer (<c>Shootdown.Explorer.DescriptorSpace</c>) enumerates, in order;
        /// null when the space holds the knob at its default. Only knobs that bear on a race are explored.
        /// </summary>
        public IReadOnlyList<int>? Explored { get; }
        /// <summary>True when <paramref name="value"/> is one of <see cref="Values"/> (always, when there is no list).</summary>
        public bool Allows(int value) => values is null || Array.IndexOf(values, value) >= 0;
        /// <summary>Reads the value from a descriptor (bools as 0 or 1, enums as their number).</summary>
        public Func<ArchDescriptor, int> Get { get; }
        /// <summary>A copy of a descriptor with the value set.</summary>
        public Func<ArchDescriptor, int, ArchDescriptor> With { get; }
    }

    /// <summary>The descriptor knobs, in <see cref="ArchDescriptor"/>'s constructor order, then the init properties.</summary>
    public static class DescriptorKnobs
    {
        /// <summary>The attribute carrying the name (<c>[Architecture(name)]</c>), the one slot that is text.</summary>
        public const string ArchitectureAttribute = "Architecture";

        private static int B(bool value) => value ? 1 : 0;

        private static readonly int[] Bools = { 0, 1 };
        private static readonly int[] Widths = { 32, 64 };
        // mm/Kconfig's "MMU page size" choice: PAGE_SIZE_4KB to PAGE_SIZE_64KB and PAGE_SIZE_256KB (PAGE_SHIFT 12 to 16, 18;
        // 256 KiB: CONFIG_PPC_256K_PAGES on 44x, hexagon). There is no 128 KiB choice.
        private static readonly int[] PageSizes = { 4096, 8192, 16384, 32768, 65536, 262144 };
        // PTE_FRAG_NR = PAGE_SIZE >> PTE_FRAG_SIZE_SHIFT reaches 256 on powerpc64 radix with 64 KiB pages (256-byte tables,
        // radix-64k.h); PMD_FRAG_NR reaches 16 there (4 KiB PMD tables). Powers of two: fragments are carved by address bits.
        private static readonly int[] PteFragments = { 1, 2, 4, 8, 16, 32, 64, 128, 256 };
        private static readonly int[] PmdFragments = { 1, 2, 4, 8, 16 };

        // Every subset of the given options, the first the lowest bit of the subset's number.
        private static int[] Subsets(params GatherOptions[] options)
        {
            var subsets = new int[1 << options.Length];
            for (var mask = 0; mask < subsets.Length; mask++)
            {
                for (var b = 0; b < options.Length; b++)
                {
                    if ((mask & (1 << b)) != 0) subsets[mask] |= (int)options[b];
                }
            }
            return subsets;
        }

        /// <summary>Every knob.</summary>
        public static readonly IReadOnlyList<DescriptorKnob> All = new[]
        {
            new DescriptorKnob(DescriptorSlot.Invalidation, KnobKind.Enum, "flush_tlb_others / TLBI IS", 0, "TlbInvalidation", 0, null, true,
                new IdPart(0, Tokens: new[] { "ipi", "bcast" }), d => (int)d.Invalidation, (d, v) => d with { Invalidation = (Invalidation)v }, typeof(Invalidation), explored: Bools),
            new DescriptorKnob(DescriptorSlot.SynchronousOnClear, KnobKind.Bool, "IPTE", 0, "TlbInvalidation", -1, "SynchronousOnClear", true,
                new IdPart(0, Tokens: new[] { "", "-sync" }), d => B(d.SynchronousOnClear), (d, v) => d with { SynchronousOnClear = v != 0 }, explored: Bools),
            new DescriptorKnob(DescriptorSlot.Levels, KnobKind.Int, "CONFIG_PGTABLE_LEVELS", 0, "PageTables", 0, null, true,
                new IdPart(1, "L"), d => d.Levels, (d, v) => d with { Levels = v }, values: new[] { 2, 3, 4, 5 }),
            new DescriptorKnob(DescriptorSlot.PageSize, KnobKind.Int, "PAGE_SIZE", 4096, "PageTables", -1, "PageSize", true,
                new IdPart(2, Suffix: "k", Scale: 1024), d => d.PageSize, (d, v) => d with { PageSize = v }, values: PageSizes),
            new DescriptorKnob(DescriptorSlot.FragmentsPerPage, KnobKind.Int, "PTE_FRAG_NR", 1, "PageTables", -1, "FragmentsPerPage", true,
                new IdPart(3, "f"), d => d.FragmentsPerPage, (d, v) => d with { FragmentsPerPage = v }, values: PteFragments, explored: new[] { 1, 2 }),
            new DescriptorKnob(DescriptorSlot.PteBits, KnobKind.Int, "sizeof(pte_t)", 0, "PteFormat", 0, null, true,
                new IdPart(4, "pte"), d => d.PteBits, (d, v) => d with { PteBits = v }, values: Widths, explored: Widths),
            new DescriptorKnob(DescriptorSlot.WordBits, KnobKind.Int, "BITS_PER_LONG", 0, "PteFormat", 1, null, true,
                new IdPart(4, "w"), d => d.WordBits, (d, v) => d with { WordBits = v }, values: Widths, explored: Widths),
            new DescriptorKnob(DescriptorSlot.PteSpecial, KnobKind.Bool, "ARCH_HAS_PTE_SPECIAL", 0, "PteFormat", -1, "SpecialBit", true,
                new IdPart(5, Tokens: new[] { "nospecial", "special" }), d => B(d.PteSpecial), (d, v) => d with { PteSpecial = v != 0 }, explored: new[] { 1 }),
            new DescriptorKnob(DescriptorSlot.Walker, KnobKind.Enum, "tlb_needs_table_invalidate", 0, "HardwareWalker", 0, null, true,
                new IdPart(6, Tokens: new[] { "nowalk", "walk", "walkcache" }), d => (int)d.Walker, (d, v) => d with { Walker = (WalkerKind)v }, typeof(WalkerKind), explored: new[] { 0, 1, 2 }),
            new DescriptorKnob(DescriptorSlot.SoftwareTlbRefill, KnobKind.Bool, "software TLB refill", 0, "SoftwareTlbRefill", -1, null, true,
                new IdPart(7, Tokens: new[] { "norefill", "refill" }), d => B(d.SoftwareTlbRefill), (d, v) => d with { SoftwareTlbRefill = v != 0 }, presence: true, explored: Bools),
            new DescriptorKnob(DescriptorSlot.Options, KnobKind.Flags, "MMU_GATHER_*", 0, "Gather", 0, null, true,
                new IdPart(8, "opt-"), d => (int)d.Options, (d, v) => d with { Options = (GatherOptions)v }, typeof(GatherOptions), explored: Subsets(GatherOptions.TableFree, GatherOptions.RcuTableFree, GatherOptions.NoTableInvalidate, GatherOptions.NoGather)),
            new DescriptorKnob(DescriptorSlot.FastGup, KnobKind.Bool, "HAVE_GUP_FAST", 0, "FastGup", -1, null, true,
                new IdPart(9, Tokens: new[] { "nogup-", "gup-" }), d => B(d.FastGup), (d, v) => d with { FastGup = v != 0 }, presence: true, explored: Bools),
            new DescriptorKnob(DescriptorSlot.PteRead, KnobKind.Enum, "GUP_GET_PXX_LOW_HIGH", 0, "FastGup", 0, null, true,
                new IdPart(9, Tokens: new[] { "load", "split" }), d => (int)d.PteRead, (d, v) => d with { PteRead = (PteRead)v }, typeof(PteRead), explored: Bools),
            new DescriptorKnob(DescriptorSlot.AtomicLoadBits, KnobKind.Int, "single-copy atomicity (LDRD)", 0, "PteFormat", -1, "AtomicLoadBits", false,
                new IdPart(-1, "atomic"), d => d.AtomicLoadBits, (d, v) => d with { AtomicLoadBits = v }, values: new[] { 0, 32, 64 }),
            new DescriptorKnob(DescriptorSlot.PtrsPerPte, KnobKind.Int, "PTRS_PER_PTE", 0, "PageTables", -1, "PtrsPerPte", false,
                new IdPart(-1, "pte"), d => d.PtrsPerPte, (d, v) => d with { PtrsPerPte = v }),
            new DescriptorKnob(DescriptorSlot.PtrsPerPmd, KnobKind.Int, "PTRS_PER_PMD", 0, "PageTables", -1, "PtrsPerPmd", false,
                new IdPart(-1, "pmd"), d => d.PtrsPerPmd, (d, v) => d with { PtrsPerPmd = v }),
            new DescriptorKnob(DescriptorSlot.PtrsPerPud, KnobKind.Int, "PTRS_PER_PUD", 0, "PageTables", -1, "PtrsPerPud", false,
                new IdPart(-1, "pud"), d => d.PtrsPerPud, (d, v) => d with { PtrsPerPud = v }),
            new DescriptorKnob(DescriptorSlot.PtrsPerP4d, KnobKind.Int, "PTRS_PER_P4D", 0, "PageTables", -1, "PtrsPerP4d", false,
                new IdPart(-1, "p4d"), d => d.PtrsPerP4d, (d, v) => d with { PtrsPerP4d = v }),
            new DescriptorKnob(DescriptorSlot.PtrsPerPgd, KnobKind.Int, "PTRS_PER_PGD", 0, "PageTables", -1, "PtrsPerPgd", false,
                new IdPart(-1, "pgd"), d => d.PtrsPerPgd, (d, v) => d with { PtrsPerPgd = v }),
            new DescriptorKnob(DescriptorSlot.Linux, KnobKind.Enum, "the kernel release", 0, ArchitectureAttribute, -1, "Linux", false,
                new IdPart(-1, Tokens: new[] { "", "era-v6_1", "era-next" }), d => (int)d.Linux, (d, v) => d with { Linux = (LinuxEra)v }, typeof(LinuxEra)),
            new DescriptorKnob(DescriptorSlot.ArchTlbRemoveTable, KnobKind.Bool, "HAVE_ARCH_TLB_REMOVE_TABLE", 0, "Gather", -1, "ArchTlbRemoveTable", false,
                new IdPart(-1, Tokens: new[] { "", "archtrt" }), d => B(d.ArchTlbRemoveTable), (d, v) => d with { ArchTlbRemoveTable = v != 0 }),
            new DescriptorKnob(DescriptorSlot.PmdFreeFlushesAll, KnobKind.Bool, "need_flush_all in ___pmd_free_tlb (X86_PAE)", 0, "Gather", -1, "PmdFreeFlushesAll", false,
                new IdPart(-1, Tokens: new[] { "", "pmdflushall" }), d => B(d.PmdFreeFlushesAll), (d, v) => d with { PmdFreeFlushesAll = v != 0 }),
            new DescriptorKnob(DescriptorSlot.FullMmFlush, KnobKind.Enum, "tlb_flush() when tlb->fullmm (arm64, s390 asm/tlb.h)", 0, "TlbInvalidation", -1, "FullMm", false,
                new IdPart(-1, Tokens: new[] { "", "fullmm-tables", "fullmm-lazy" }), d => (int)d.FullMmFlush, (d, v) => d with { FullMmFlush = (FullMmFlush)v }, typeof(FullMmFlush)),
            new DescriptorKnob(DescriptorSlot.GlobalAsidBroadcast, KnobKind.Bool, "X86_FEATURE_INVLPGB (broadcast_tlb_flush when mm_global_asid)", 0, "TlbInvalidation", -1, "GlobalAsidBroadcast", false,
                new IdPart(-1, Tokens: new[] { "", "invlpgb" }), d => B(d.GlobalAsidBroadcast), (d, v) => d with { GlobalAsidBroadcast = v != 0 }),
            new DescriptorKnob(DescriptorSlot.PmdFragmentsPerPage, KnobKind.Int, "PMD_FRAG_NR", 1, "PageTables", -1, "PmdFragmentsPerPage", false,
                new IdPart(-1, "fpmd"), d => d.PmdFragmentsPerPage, (d, v) => d with { PmdFragmentsPerPage = v }, values: PmdFragments),
        };

        /// <summary>The knob of <paramref name="slot"/>, or null (the class, the name).</summary>
        public static DescriptorKnob? Of(DescriptorSlot slot)
        {
            foreach (var knob in All)
            {
                if (knob.Slot == slot) return knob;
            }
            return null;
        }

        /// <summary>A descriptor named <paramref name="name"/> with every knob at its default.</summary>
        public static ArchDescriptor Defaults(string name)
        {
            var d = new ArchDescriptor(name, default, false, 0, 0, 0, 0, 0, false, default, false, default, false, default);
            foreach (var knob in All) d = knob.With(d, knob.Default);
            return d;
        }

        /// <summary>The attributes that carry knobs: <c>[Architecture]</c> first, then in the order of their first knob.</summary>
        public static IReadOnlyList<string> Attributes()
        {
            var names = new List<string> { ArchitectureAttribute };
            foreach (var knob in All)
            {
                if (!names.Contains(knob.Attribute)) names.Add(knob.Attribute);
            }
            return names;
        }

        /// <summary>The enum member name of <paramref name="value"/> for an enum knob (the number when undefined).</summary>
        public static string EnumName(DescriptorKnob knob, int value) =>
            knob.EnumType is null ? value.ToString(System.Globalization.CultureInfo.InvariantCulture) : System.Enum.ToObject(knob.EnumType, value).ToString() ?? "";

        /// <summary>The members of a set of options, in Kconfig's order (<see cref="GatherOptionNames.All"/>).</summary>
        public static IEnumerable<GatherOptions> Members(GatherOptions options)
        {
            foreach (var pair in GatherOptionNames.All)
            {
                if ((options & pair.Key) != 0) yield return pair.Key;
            }
        }
    }
}
