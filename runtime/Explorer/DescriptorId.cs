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

        // What each always-present field is called and looks like, for refusals; its content comes from DescriptorKnobs.
        private static readonly (string Label, string Expected)[] Fields =
        {
            ("invalidation", "ipi, bcast or bcast-sync"), ("levels", "L<n>"), ("page size", "<n>k"), ("fragments", "f<n>"),
            ("widths", "pte<bits>w<bits>"), ("special bit", "special or nospecial"), ("walker", "nowalk, walk or walkcache"),
            ("refill", "refill or norefill"), ("options", "opt-<list> or opt-none"), ("fast GUP", "gup-load, gup-split, nogup-load or nogup-split"),
        };

        private static readonly DescriptorKnob[] Extras = System.Linq.Enumerable.ToArray(System.Linq.Enumerable.Where(DescriptorKnobs.All, k => k.Id.Field < 0));

        /// <summary>The id of <paramref name="d"/> run with <paramref name="subject"/>: the architecture's name for generated code, else <see cref="Encode"/>.</summary>
        public static string Of(ArchDescriptor d, ArchitectureOps subject) => subject.IsGenerated ? subject.Name : Encode(d);

        /// <summary>Every field of <paramref name="d"/> as one token (the name is not part of it).</summary>
        public static string Encode(ArchDescriptor d)
        {
            ArgumentNullException.ThrowIfNull(d);
            var fields = new string[Fields.Length];
            var extras = new System.Text.StringBuilder();
            foreach (var knob in DescriptorKnobs.All)
            {
                var value = knob.Get(d);
                if (knob.Id.Field < 0)
                {
                    if (value != knob.Default) extras.Append('.').Append(Part(knob, value));
                }
                else fields[knob.Id.Field] += Part(knob, value);
            }
            return string.Join(".", fields) + extras;
        }

        private static string Part(DescriptorKnob knob, int value)
        {
            var id = knob.Id;
            // An undefined enum value is written as the last token, as the id format always has.
            if (id.Tokens != null) return id.Tokens[value >= 0 && value < id.Tokens.Length ? value : id.Tokens.Length - 1];
            if (knob.Kind == KnobKind.Flags)
            {
                var opts = new List<string>();
                foreach (var (option, token) in OptionTokens)
                {
                    if ((value & (int)option) != 0) opts.Add(token);
                }
                return id.Prefix + (opts.Count == 0 ? "none" : string.Join("+", opts));
            }
            return id.Prefix + (value / id.Scale).ToString(CultureInfo.InvariantCulture) + id.Suffix;
        }

        /// <summary>Parses an <see cref="Encode"/>d token; false with a reason when it is not one.</summary>
        public static bool TryDecode(string text, out ArchDescriptor descriptor, out string error)
        {
            descriptor = null!;
            error = "";
            var parts = (text ?? "").Split('.');
            if (parts.Length < Fields.Length || parts.Length > Fields.Length + Extras.Length)
            {
                error = $"'{text}' is not a descriptor id: expected {Fields.Length} dot-separated fields (invalidation.levels.page.fragments.widths.special.walker.refill.options.gup) and at most {Extras.Length} more ({ExtraNames()}), got {parts.Length}";
                return false;
            }
            var d = DescriptorKnobs.Defaults(text!);
            var why = DecodeFields(parts, ref d) ?? DecodeExtras(parts, ref d);
            if (why != null)
            {
                error = $"descriptor id '{text}': {why}";
                return false;
            }
            descriptor = d;
            if (DescriptorRules.CanShapeTables(descriptor)) return true;
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

        private static string ExtraNames() => string.Join(", ", System.Linq.Enumerable.Select(Extras,
            k => k.Id.Tokens == null ? k.Id.Prefix : string.Join(", ", System.Linq.Enumerable.Where(k.Id.Tokens, t => t.Length > 0))));

        // Each always-present field is its knobs' parts in table order: a token (the longest that matches), a number
        // between prefix and suffix, or an option list.
        private static string? DecodeFields(string[] parts, ref ArchDescriptor d)
        {
            for (var field = 0; field < Fields.Length; field++)
            {
                var part = parts[field];
                var at = 0;
                var ok = true;
                foreach (var knob in DescriptorKnobs.All)
                {
                    if (knob.Id.Field != field || !ok) continue;
                    if (knob.Kind == KnobKind.Flags)
                    {
                        if (!part.AsSpan(at).StartsWith(knob.Id.Prefix, StringComparison.Ordinal)) { ok = false; continue; }
                        var why = Options(part.Substring(at + knob.Id.Prefix.Length), out var options);
                        if (why != null) return why;
                        d = knob.With(d, (int)options);
                        at = part.Length;
                    }
                    else if (knob.Id.Tokens != null)
                    {
                        var best = -1;
                        for (var v = 0; v < knob.Id.Tokens.Length; v++)
                        {
                            var token = knob.Id.Tokens[v];
                            if (part.AsSpan(at).StartsWith(token, StringComparison.Ordinal) && (best < 0 || token.Length > knob.Id.Tokens[best].Length)) best = v;
                        }
                        if (best < 0) { ok = false; continue; }
                        d = knob.With(d, best);
                        at += knob.Id.Tokens[best].Length;
                    }
                    else
                    {
                        ok = Number(part, ref at, knob.Id, out var value);
                        if (ok) d = knob.With(d, value);
                    }
                }
                if (!ok || at != part.Length) return $"{Fields[field].Label} '{part}' is not {Fields[field].Expected}";
            }
            return null;
        }

        private static bool Number(string part, ref int at, IdPart id, out int value)
        {
            value = 0;
            if (!part.AsSpan(at).StartsWith(id.Prefix, StringComparison.Ordinal)) return false;
            var start = at + id.Prefix.Length;
            var end = start;
            while (end < part.Length && char.IsAsciiDigit(part[end])) end++;
            if (end == start || !part.AsSpan(end).StartsWith(id.Suffix, StringComparison.Ordinal)
                || !int.TryParse(part.AsSpan(start, end - start), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                || n > int.MaxValue / id.Scale) return false;
            value = n * id.Scale;
            at = end + id.Suffix.Length;
            return true;
        }

        private static string? Options(string list, out GatherOptions options)
        {
            options = GatherOptions.None;
            if (list == "none") return null;
            foreach (var token in list.Split('+'))
            {
                var found = false;
                foreach (var (option, name) in OptionTokens)
                {
                    if (name != token) continue;
                    options |= option;
                    found = true;
                }
                if (!found) return $"option '{token}' is none of {string.Join(", ", System.Linq.Enumerable.Select(OptionTokens, t => t.Token))}";
            }
            return null;
        }

        // The optional fields after the always-present ones: each at most once, each a prefix and a number above 0.
        // No prefix is a prefix of another.
        private static string? DecodeExtras(string[] parts, ref ArchDescriptor d)
        {
            var seen = new bool[Extras.Length];
            for (var i = Fields.Length; i < parts.Length; i++)
            {
                var token = Array.FindIndex(Extras, k => k.Id.Tokens != null && Array.IndexOf(k.Id.Tokens, parts[i]) > 0);
                if (token >= 0)
                {
                    if (seen[token]) return $"field '{parts[i]}' is given twice";
                    seen[token] = true;
                    d = Extras[token].With(d, Array.IndexOf(Extras[token].Id.Tokens!, parts[i]));
                    continue;
                }
                var known = Array.FindIndex(Extras, k => k.Id.Tokens == null && parts[i].StartsWith(k.Id.Prefix, StringComparison.Ordinal));
                if (known < 0) return $"field '{parts[i]}' is none of {ExtraNames()} followed by a number";
                var prefix = Extras[known].Id.Prefix;
                if (!int.TryParse(parts[i].AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value == 0)
                    return $"field '{parts[i]}' is not {prefix}<n> with n above 0";
                if (seen[known]) return $"field '{prefix}' is given twice";
                seen[known] = true;
                d = Extras[known].With(d, value);
            }
            return null;
        }
    }

    /// <summary>
    /// A witness that can be run again anywhere: <c>v2:&lt;scenario&gt;:&lt;generated|reference[+mutant...]&gt;:&lt;descriptor-id&gt;:&lt;schedule&gt;</c>,
    /// e.g. <c>v2:munmap-vs-gup-fast:reference:bcast.L4.4k.f1.pte64w64.special.walkcache.norefill.opt-tf.gup-load:1.0</c>.
    /// The full descriptor (<see cref="DescriptorId.Encode"/>) is in the id, so it replays without the assembly the
    /// witness was found in: the descriptor determines the generated code. A witness of the mutation suite names the
    /// bugs put back into the reference (<c>reference+ipi-flush-without-wait</c>, docs/mutation.md), so it replays to the
    /// same violation from its id alone.
    /// </summary>
    /// <param name="Scenario">The scenario's name.</param>
    /// <param name="Descriptor">The <see cref="DescriptorId"/> of the machine.</param>
    /// <param name="Schedule">The decisions to take; the default policy does the rest.</param>
    /// <param name="Generated">True when the witness was found on generated code, false on the reference.</param>
    /// <param name="Mutants">The mutants (their names joined by '+') the reference ran with, "" for none.</param>
    public sealed record ReplayId(string Scenario, string Descriptor, Schedule Schedule, bool Generated = false, string Mutants = "")
    {
        /// <summary>The format version written at the start of every id.</summary>
        public const string Version = "v2";

        /// <summary>The bugs <see cref="Mutants"/> names, as the machine's fault switch.</summary>
        internal Fault Faults => Mutation.Mutants.FaultsOf(Mutants);

        /// <inheritdoc/>
        public override string ToString() =>
            $"{Version}:{Scenario}:{(Generated ? "generated" : "reference")}{(Mutants.Length > 0 ? "+" + Mutants : "")}:{Descriptor}:{Schedule}";

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
            var code = parts[2];
            var mutants = "";
            if (code.StartsWith("reference+", StringComparison.Ordinal))
            {
                mutants = code["reference+".Length..];
                foreach (var name in mutants.Split('+'))
                {
                    if (Mutation.Mutants.Find(name) is null)
                    {
                        error = $"replay id '{text}': '{name}' is no mutant of the mutation suite (docs/mutation.md)";
                        return false;
                    }
                }
                code = "reference";
            }
            if (code != "generated" && code != "reference")
            {
                error = $"replay id '{text}': code '{parts[2]}' is neither generated nor reference[+mutant]";
                return false;
            }
            if (!DescriptorId.TryDecode(parts[3], out _, out error)) return false;
            if (!Schedule.TryParse(parts[4], out var schedule, out error)) return false;
            id = new ReplayId(parts[1], parts[3], schedule, code == "generated", mutants);
            return true;
        }
    }
}
