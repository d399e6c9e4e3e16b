using System;
using System.Collections.Generic;
using System.Globalization;
using Shootdown.Simulation;

namespace Shootdown.Explorer
{
    /// <summary>
    /// A descriptor written as one token, for replay ids: every field, dot-separated, e.g.
    /// <c>bcast.L4.4k.f1.pte64w64.special.walkcache.norefill.opt-tf.gup-load</c>, then the fields that are rarely set, only
    /// when set: <c>atomic64</c> (<see cref="ArchDescriptor.AtomicLoadBits"/>), and <c>pte256</c>, <c>pmd2048</c>,
    /// <c>pud</c>, <c>p4d</c>, <c>pgd</c> (<see cref="ArchDescriptor.PtrsPerPte"/> and the other <c>PTRS_PER_*</c>). Generated code is named by its
    /// architecture instead (<c>arm64</c>): the descriptor is the architecture's and the code is its generated code.
    /// </summary>
    public static class DescriptorId
    {
        private static readonly (GatherOptions Option, string Token)[] OptionTokens =
        {
            (GatherOptions.TableFree, "tf"),
            (GatherOptions.RcuTableFree, "rcu"),
            (GatherOptions.NoTableInvalidate, "nti"),
            (GatherOptions.NoGather, "nogather"),
            (GatherOptions.NoRange, "norange"),
            (GatherOptions.MergeVmas, "merge"),
            (GatherOptions.NoFlushCache, "noflush"),
            (GatherOptions.PageSize, "pagesize"),
        };

        /// <summary>The id of <paramref name="d"/> run with <paramref name="subject"/>: the architecture's name for generated code, else <see cref="Encode"/>.</summary>
        public static string Of(ArchDescriptor d, ArchitectureOps subject) => subject.IsGenerated ? subject.Name : Encode(d);

        /// <summary>Every field of <paramref name="d"/> as one token (the name is not part of it).</summary>
        public static string Encode(ArchDescriptor d)
        {
            ArgumentNullException.ThrowIfNull(d);
            var opts = new List<string>();
            foreach (var (option, token) in OptionTokens)
            {
                if ((d.Options & option) != 0) opts.Add(token);
            }
            return string.Join(".",
                (d.Invalidation == Invalidation.Ipi ? "ipi" : "bcast") + (d.SynchronousOnClear ? "-sync" : ""),
                "L" + d.Levels.ToString(CultureInfo.InvariantCulture),
                (d.PageSize / 1024).ToString(CultureInfo.InvariantCulture) + "k",
                "f" + d.FragmentsPerPage.ToString(CultureInfo.InvariantCulture),
                "pte" + d.PteBits.ToString(CultureInfo.InvariantCulture) + "w" + d.WordBits.ToString(CultureInfo.InvariantCulture),
                d.PteSpecial ? "special" : "nospecial",
                d.Walker switch { WalkerKind.None => "nowalk", WalkerKind.WalksTables => "walk", _ => "walkcache" },
                d.SoftwareTlbRefill ? "refill" : "norefill",
                "opt-" + (opts.Count == 0 ? "none" : string.Join("+", opts)),
                (d.FastGup ? "gup-" : "nogup-") + (d.PteRead == PteRead.SingleLoad ? "load" : "split"))
                + Extra("atomic", d.AtomicLoadBits) + Extra("pte", d.PtrsPerPte) + Extra("pmd", d.PtrsPerPmd) + Extra("pud", d.PtrsPerPud)
                + Extra("p4d", d.PtrsPerP4d) + Extra("pgd", d.PtrsPerPgd);
        }

        // None is a prefix of another.
        private static readonly string[] ExtraTokens = { "atomic", "pte", "pmd", "pud", "p4d", "pgd" };

        private static string Extra(string token, int value) => value == 0 ? "" : "." + token + value.ToString(CultureInfo.InvariantCulture);

        // The optional fields after the tenth: each token at most once, each a prefix and a number.
        private static string? CheckExtras(string[] parts, int[] values)
        {
            for (var i = 10; i < parts.Length; i++)
            {
                var known = Array.FindIndex(ExtraTokens, t => parts[i].StartsWith(t, StringComparison.Ordinal));
                if (known < 0) return $"field '{parts[i]}' is none of {string.Join(", ", ExtraTokens)} followed by a number";
                if (!int.TryParse(parts[i].AsSpan(ExtraTokens[known].Length), NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value == 0)
                    return $"field '{parts[i]}' is not {ExtraTokens[known]}<n> with n above 0";
                if (values[known] != 0) return $"field '{ExtraTokens[known]}' is given twice";
                values[known] = value;
            }
            return null;
        }

        /// <summary>Parses an <see cref="Encode"/>d token; false with a reason when it is not one.</summary>
        public static bool TryDecode(string text, out ArchDescriptor descriptor, out string error)
        {
            descriptor = null!;
            error = "";
            var parts = (text ?? "").Split('.');
            if (parts.Length < 10 || parts.Length > 10 + ExtraTokens.Length)
            {
                error = $"'{text}' is not a descriptor id: expected 10 dot-separated fields (invalidation.levels.page.fragments.widths.special.walker.refill.options.gup) and at most {ExtraTokens.Length} more ({string.Join(", ", ExtraTokens)}), got {parts.Length}";
                return false;
            }
            var extras = new int[ExtraTokens.Length];
            string? why = Check(parts, out var inv, out var sync, out var levels, out var kib, out var fragments, out var pteBits, out var wordBits,
                out var walker, out var options, out var fastGup, out var read) ?? CheckExtras(parts, extras);
            if (why != null)
            {
                error = $"descriptor id '{text}': {why}";
                return false;
            }
            descriptor = new ArchDescriptor(text!, inv, sync, levels, kib * 1024, fragments, pteBits, wordBits, parts[5] == "special",
                walker, parts[7] == "refill", options, fastGup, read) {
                AtomicLoadBits = extras[0], PtrsPerPte = extras[1], PtrsPerPmd = extras[2], PtrsPerPud = extras[3], PtrsPerP4d = extras[4], PtrsPerPgd = extras[5],
            };
            if (PageTableGeometry.IsStructurallyValid(descriptor)) return true;
            // Unsafe descriptors replay (that is what witnesses are); impossible ones have no tables to run on.
            var impossible = new List<string>();
            foreach (var finding in DescriptorRules.Check(descriptor))
            {
                if (!finding.Rule.IsRace) impossible.Add($"{finding.Id}: {finding.Message}");
            }
            error = $"descriptor id '{text}' describes no machine: {(impossible.Count == 0 ? "its tables cannot be shaped" : string.Join("; ", impossible))}";
            descriptor = null!;
            return false;
        }

        private static string? Check(string[] parts, out Invalidation inv, out bool sync, out int levels, out int kib, out int fragments,
            out int pteBits, out int wordBits, out WalkerKind walker, out GatherOptions options, out bool fastGup, out PteRead read)
        {
            inv = default; sync = false; levels = kib = fragments = pteBits = wordBits = 0; walker = default; options = default; fastGup = false; read = default;
            static string Fail(string why) => why;
            switch (parts[0])
            {
                case "ipi": inv = Invalidation.Ipi; sync = false; break;
                case "bcast": inv = Invalidation.HardwareBroadcast; sync = false; break;
                case "bcast-sync": inv = Invalidation.HardwareBroadcast; sync = true; break;
                case "ipi-sync": inv = Invalidation.Ipi; sync = true; break; // structurally invalid (SHD113), still a descriptor
                default: return Fail($"invalidation '{parts[0]}' is not ipi, bcast or bcast-sync");
            }
            if (!parts[1].StartsWith('L') || !int.TryParse(parts[1].AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out levels))
                return Fail($"levels '{parts[1]}' is not L<n>");
            if (!parts[2].EndsWith('k') || !int.TryParse(parts[2].AsSpan(0, parts[2].Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out kib))
                return Fail($"page size '{parts[2]}' is not <n>k");
            if (!parts[3].StartsWith('f') || !int.TryParse(parts[3].AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out fragments))
                return Fail($"fragments '{parts[3]}' is not f<n>");
            var w = parts[4].IndexOf('w');
            if (!parts[4].StartsWith("pte", StringComparison.Ordinal) || w < 4
                || !int.TryParse(parts[4].AsSpan(3, w - 3), NumberStyles.None, CultureInfo.InvariantCulture, out pteBits)
                || !int.TryParse(parts[4].AsSpan(w + 1), NumberStyles.None, CultureInfo.InvariantCulture, out wordBits))
                return Fail($"widths '{parts[4]}' is not pte<bits>w<bits>");
            if (parts[5] != "special" && parts[5] != "nospecial") return Fail($"'{parts[5]}' is not special or nospecial");
            switch (parts[6])
            {
                case "nowalk": walker = WalkerKind.None; break;
                case "walk": walker = WalkerKind.WalksTables; break;
                case "walkcache": walker = WalkerKind.CachesUpperLevels; break;
                default: return Fail($"walker '{parts[6]}' is not nowalk, walk or walkcache");
            }
            if (parts[7] != "refill" && parts[7] != "norefill") return Fail($"'{parts[7]}' is not refill or norefill");
            if (!parts[8].StartsWith("opt-", StringComparison.Ordinal)) return Fail($"options '{parts[8]}' do not start with opt-");
            options = GatherOptions.None;
            var list = parts[8].Substring(4);
            if (list != "none")
            {
                foreach (var token in list.Split('+'))
                {
                    var found = false;
                    foreach (var (option, name) in OptionTokens)
                    {
                        if (name != token) continue;
                        options |= option;
                        found = true;
                    }
                    if (!found) return Fail($"option '{token}' is none of tf, rcu, nti, nogather, norange, merge, noflush, pagesize");
                }
            }
            switch (parts[9])
            {
                case "gup-load": fastGup = true; read = PteRead.SingleLoad; break;
                case "gup-split": fastGup = true; read = PteRead.LowHighSplit; break;
                case "nogup-load": fastGup = false; read = PteRead.SingleLoad; break;
                case "nogup-split": fastGup = false; read = PteRead.LowHighSplit; break;
                default: return Fail($"fast GUP '{parts[9]}' is not gup-load, gup-split, nogup-load or nogup-split");
            }
            return null;
        }
    }

    /// <summary>
    /// A witness that can be run again anywhere: <c>v2:&lt;scenario&gt;:&lt;generated|reference&gt;:&lt;descriptor-id&gt;:&lt;schedule&gt;</c>,
    /// e.g. <c>v2:munmap-vs-gup-fast:reference:bcast.L4.4k.f1.pte64w64.special.walkcache.norefill.opt-tf.gup-load:1.0</c>.
    /// The full descriptor (<see cref="DescriptorId.Encode"/>) is in the id, so it replays without the assembly the
    /// witness was found in: the descriptor determines the generated code.
    /// </summary>
    /// <param name="Scenario">The scenario's name.</param>
    /// <param name="Descriptor">The <see cref="DescriptorId"/> of the machine.</param>
    /// <param name="Schedule">The decisions to take; the default policy does the rest.</param>
    /// <param name="Generated">True when the witness was found on generated code, false on the reference.</param>
    public sealed record ReplayId(string Scenario, string Descriptor, Schedule Schedule, bool Generated = false)
    {
        /// <summary>The format version written at the start of every id.</summary>
        public const string Version = "v2";

        /// <inheritdoc/>
        public override string ToString() => $"{Version}:{Scenario}:{(Generated ? "generated" : "reference")}:{Descriptor}:{Schedule}";

        /// <summary>Parses a replay id; false with one line naming what is wrong when it is not one.</summary>
        public static bool TryParse(string? text, out ReplayId id, out string error)
        {
            id = null!;
            var parts = (text ?? "").Trim().Split(':');
            if (parts.Length == 3 && parts[0] != Version)
            {
                error = $"'{text}' is an old-format replay id (<scenario>:<name>:<schedule>, before {Version}); find the witness again with this version's check";
                return false;
            }
            if (parts.Length != 5 || parts[0] != Version)
            {
                error = $"'{text}' is not a replay id {Version}:<scenario>:<generated|reference>:<descriptor-id>:<schedule>";
                return false;
            }
            if (parts[1].Length == 0)
            {
                error = $"replay id '{text}' names no scenario";
                return false;
            }
            if (parts[2] != "generated" && parts[2] != "reference")
            {
                error = $"replay id '{text}': code '{parts[2]}' is neither generated nor reference";
                return false;
            }
            if (!DescriptorId.TryDecode(parts[3], out _, out error)) return false;
            if (!Schedule.TryParse(parts[4], out var schedule, out error)) return false;
            id = new ReplayId(parts[1], parts[3], schedule, parts[2] == "generated");
            return true;
        }
    }
}
