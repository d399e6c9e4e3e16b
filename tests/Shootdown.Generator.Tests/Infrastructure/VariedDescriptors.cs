using System;
using System.Collections.Generic;
using System.Linq;

namespace Shootdown.Generator.Tests.Infrastructure
{
    /// <summary>A named set of structurally valid descriptors that are compiled together.</summary>
    /// <param name="Name">What the set varies.</param>
    /// <param name="Descriptors">Class name and descriptor of each member.</param>
    internal sealed record DescriptorSet(string Name, IReadOnlyList<(string ClassName, ArchDescriptor Descriptor)> Descriptors)
    {
        /// <summary>One source file per descriptor, and the decoy namespaces.</summary>
        public IEnumerable<SourceFile> Sources() =>
            Descriptors.Select(d => DescriptorSource.File(d.Descriptor, d.ClassName)).Append(DescriptorSource.Decoys());
    }

    /// <summary>
    /// Descriptors that <see cref="DescriptorRules.Check"/> accepts, spread over the axes the emitters branch on: every
    /// <c>MMU_GATHER_*</c> combination, levels, widths, page sizes, fragments, walkers; and races, which are structurally
    /// valid and generated as described (docs/diagnostics/README.md).
    /// </summary>
    internal static class VariedDescriptors
    {
        /// <summary>x86-like: IPI invalidation, a caching walker and fast GUP.</summary>
        private static readonly ArchDescriptor IpiWithFastGup = new(
            "base", Invalidation.Ipi, false, 4, 4096, 1, 64, 64, true, WalkerKind.CachesUpperLevels, false, GatherOptions.None, true, PteRead.SingleLoad);

        /// <summary>s390-like: clearing a PTE invalidates every CPU, nothing walks the tables locklessly.</summary>
        private static readonly ArchDescriptor SynchronousClear = new(
            "base", Invalidation.HardwareBroadcast, true, 4, 4096, 1, 64, 64, false, WalkerKind.None, false, GatherOptions.None, false, PteRead.SingleLoad);

        private static readonly Lazy<IReadOnlyList<DescriptorSet>> Sets = new(Build);

        /// <summary>Every set.</summary>
        public static IReadOnlyList<DescriptorSet> All => Sets.Value;

        /// <summary>The set called <paramref name="name"/>.</summary>
        public static DescriptorSet Named(string name) => All.Single(s => s.Name == name);

        private static IReadOnlyList<DescriptorSet> Build() => new[]
        {
            new DescriptorSet("gather-options", GatherOptionCombinations().ToList()),
            new DescriptorSet("geometry", Geometries().ToList()),
            new DescriptorSet("walkers", Walkers().ToList()),
            new DescriptorSet("races", Races().ToList()),
        };

        /// <summary>Each of the 256 option sets for which some base machine makes a valid descriptor.</summary>
        private static IEnumerable<(string, ArchDescriptor)> GatherOptionCombinations()
        {
            for (var bits = 0; bits < 256; bits++)
            {
                var options = (GatherOptions)bits;
                foreach (var machine in new[] { IpiWithFastGup, SynchronousClear })
                {
                    // Every third set with need_flush_all on PMD frees, so it meets NO_RANGE and MMU_GATHER_PAGE_SIZE too.
                    var d = machine with { Name = "options-" + bits.ToString("x2"), Options = options, PmdFreeFlushesAll = bits % 3 == 0 };
                    if (DescriptorRules.HasErrors(d)) continue;
                    yield return ("Options" + bits.ToString("X2"), d);
                    break;
                }
            }
        }

        /// <summary>Levels 2 to 5, 32- and 64-bit words (with the PAE-style split read), page sizes, 1, 2 and 4 tables per page: every combination whose tables fit the machine's address.</summary>
        private static IEnumerable<(string, ArchDescriptor)> Geometries()
        {
            foreach (var levels in new[] { 2, 3, 4, 5 })
            foreach (var (pte, word) in new[] { (32, 32), (64, 32), (64, 64) })
            foreach (var pageSize in new[] { 4096, 65536 })
            foreach (var fragments in new[] { 1, 2, 4 })
            {
                var name = $"L{levels}_P{pte}W{word}_{pageSize / 1024}K_F{fragments}";
                var d = IpiWithFastGup with
                {
                    Name = name.ToLowerInvariant(),
                    Levels = levels,
                    PageSize = pageSize,
                    FragmentsPerPage = fragments,
                    PteBits = pte,
                    WordBits = word,
                    PteRead = pte > word ? PteRead.LowHighSplit : PteRead.SingleLoad,
                    // Fragments need a table batch (SHD001); alternate the plain and RCU batch.
                    Options = fragments == 1 ? GatherOptions.None : levels % 2 == 0 ? GatherOptions.TableFree : GatherOptions.RcuTableFree,
                    // need_flush_all at every level count, 2 (no PMD table to free) included.
                    PmdFreeFlushesAll = fragments == 2,
                };
                // Tables must fit the machine's address (SHD103): 64 KiB pages stop at 3 levels of 64-bit or 2 of 32-bit
                // entries, and a 32-bit word at what leaves the top table at least one address bit.
                if (DescriptorRules.Check(d).Any(f => f.Id == DescriptorRules.BadLevels)) continue;
                yield return ("Geometry_" + name, Valid(d));
            }
        }

        /// <summary>Broadcast invalidation with RCU table freeing under every walker combination.</summary>
        private static IEnumerable<(string, ArchDescriptor)> Walkers()
        {
            foreach (var walker in new[] { WalkerKind.None, WalkerKind.WalksTables, WalkerKind.CachesUpperLevels })
            foreach (var refill in new[] { false, true })
            foreach (var fastGup in new[] { false, true })
            {
                var name = $"{walker}{(refill ? "_Refill" : "")}{(fastGup ? "_FastGup" : "")}";
                var d = IpiWithFastGup with
                {
                    Name = "walker-" + name.ToLowerInvariant(),
                    Invalidation = Invalidation.HardwareBroadcast,
                    Walker = walker,
                    SoftwareTlbRefill = refill,
                    FastGup = fastGup,
                    PteSpecial = fastGup,
                    Options = GatherOptions.RcuTableFree | (walker == WalkerKind.None ? GatherOptions.NoTableInvalidate : GatherOptions.None),
                };
                yield return ("Walker_" + name, Valid(d));
            }
        }

        /// <summary>
        /// Unsafe descriptors of the explorer's space: the first of each combination of race rules, effective options and
        /// fast GUP, so every rule, alone and with the others, meets every option set it occurs with.
        /// </summary>
        private static IEnumerable<(string, ArchDescriptor)> Races()
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var d in Shootdown.Explorer.DescriptorSpace.Valid())
            {
                var rules = DescriptorRules.Check(d).Where(f => f.Rule.IsRace).Select(f => f.Id).ToList();
                if (rules.Count == 0 || !seen.Add(string.Join(",", rules) + "/" + d.EffectiveOptions + "/" + d.FastGup)) continue;
                yield return ("Race" + seen.Count.ToString("00", System.Globalization.CultureInfo.InvariantCulture) + "_" + string.Join("_", rules), d);
            }
        }

        private static ArchDescriptor Valid(ArchDescriptor d)
        {
            var errors = DescriptorRules.Check(d).Where(f => f.Rule.Severity == FindingSeverity.Error).ToList();
            if (errors.Count > 0)
                throw new InvalidOperationException($"Test descriptor {d.Name} is invalid: " + string.Join("; ", errors.Select(e => e.Id + " " + e.Message)));
            return d;
        }
    }
}
