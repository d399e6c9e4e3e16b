using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Threading;

namespace Shootdown.Generator.Model
{
    /// <summary>An architecture's name and hint prefix, collected to find clashes across the compilation.</summary>
    /// <param name="Name">The architecture name, or null when blank or unreadable.</param>
    /// <param name="HintPrefix">The hint prefix of a class the generator would emit, or null when it refuses the class.</param>
    internal sealed record NameAndHint(string? Name, string? HintPrefix);

    /// <summary>
    /// Architecture names used twice (no code for either: the analyzer reports SHD109), hint prefixes that differ only
    /// in case (Roslyn compares hint names ignoring case, so those get a stable suffix instead of an exception), and hint
    /// prefixes spelled identically by two classes. The last happens only in programs the compiler already refuses (one
    /// type declared twice, CS0101; partial parts mixing record and class, CS0261): neither gets code, since one hint name
    /// given twice makes AddSource throw (CS8785).
    /// </summary>
    internal sealed record NameClashes(EquatableArray<string> DuplicateNames, EquatableArray<string> CaseClashingHints, EquatableArray<string> SharedHints)
    {
        public static NameClashes Find(ImmutableArray<NameAndHint> all, CancellationToken cancellationToken)
        {
            var names = new Dictionary<string, int>(StringComparer.Ordinal);
            var hints = new Dictionary<string, HashSet<string>>(StringComparer.OrdinalIgnoreCase);
            var hintCounts = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var item in all)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (item.Name != null) names[item.Name] = names.TryGetValue(item.Name, out var n) ? n + 1 : 1;
                if (item.HintPrefix is null) continue;
                hintCounts[item.HintPrefix] = hintCounts.TryGetValue(item.HintPrefix, out var h) ? h + 1 : 1;
                if (!hints.TryGetValue(item.HintPrefix, out var spellings)) hints[item.HintPrefix] = spellings = new HashSet<string>(StringComparer.Ordinal);
                spellings.Add(item.HintPrefix);
            }
            var shared = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var pair in hintCounts)
            {
                if (pair.Value > 1) shared.Add(pair.Key);
            }
            var duplicates = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var pair in names)
            {
                if (pair.Value > 1) duplicates.Add(pair.Key);
            }
            var clashing = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var spellings in hints.Values)
            {
                if (spellings.Count > 1) clashing.UnionWith(spellings);
            }
            return new NameClashes(ToArray(duplicates), ToArray(clashing), ToArray(shared));
        }

        public static bool Contains(EquatableArray<string> items, string item)
        {
            foreach (var x in items)
            {
                if (string.Equals(x, item, StringComparison.Ordinal)) return true;
            }
            return false;
        }

        /// <summary>The prefix with a suffix from an FNV-1a hash of its exact spelling: stable across runs and machines.</summary>
        public static string Disambiguate(string hintPrefix)
        {
            var hash = 2166136261u;
            foreach (var c in hintPrefix)
            {
                hash = (hash ^ c) * 16777619u;
            }
            return hintPrefix + "." + hash.ToString("x8", CultureInfo.InvariantCulture);
        }

        private static EquatableArray<string> ToArray(SortedSet<string> set)
        {
            var result = new string[set.Count];
            set.CopyTo(result);
            return new EquatableArray<string>(result);
        }
    }
}
