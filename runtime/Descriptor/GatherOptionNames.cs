// Shared between the analyzer (netstandard2.0) and the runtime (net10.0).
using System.Collections.Generic;

namespace Shootdown
{
    /// <summary>Maps <see cref="GatherOptions"/> to the Kconfig names users know them by.</summary>
    public static class GatherOptionNames
    {
        /// <summary>Every single option with its Kconfig symbol, in Kconfig's order.</summary>
        public static readonly IReadOnlyList<KeyValuePair<GatherOptions, string>> All = new[]
        {
            new KeyValuePair<GatherOptions, string>(GatherOptions.TableFree, "MMU_GATHER_TABLE_FREE"),
            new KeyValuePair<GatherOptions, string>(GatherOptions.RcuTableFree, "MMU_GATHER_RCU_TABLE_FREE"),
            new KeyValuePair<GatherOptions, string>(GatherOptions.PageSize, "MMU_GATHER_PAGE_SIZE"),
            new KeyValuePair<GatherOptions, string>(GatherOptions.NoRange, "MMU_GATHER_NO_RANGE"),
            new KeyValuePair<GatherOptions, string>(GatherOptions.NoFlushCache, "MMU_GATHER_NO_FLUSH_CACHE"),
            new KeyValuePair<GatherOptions, string>(GatherOptions.MergeVmas, "MMU_GATHER_MERGE_VMAS"),
            new KeyValuePair<GatherOptions, string>(GatherOptions.NoGather, "MMU_GATHER_NO_GATHER"),
            new KeyValuePair<GatherOptions, string>(GatherOptions.NoTableInvalidate, "MMU_GATHER_NO_TABLE_INVALIDATE"),
        };

        /// <summary>The Kconfig symbols of <paramref name="options"/> joined by spaces, or "no MMU_GATHER options".</summary>
        public static string Kconfig(GatherOptions options)
        {
            var names = new List<string>();
            foreach (var pair in All)
            {
                if ((options & pair.Key) != 0) names.Add(pair.Value);
            }
            return names.Count == 0 ? "no MMU_GATHER options" : string.Join(" ", names);
        }
    }
}
