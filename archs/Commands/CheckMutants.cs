using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Shootdown.Explorer.Mutation;
using Shootdown.Simulation;

namespace Shootdown.Archs.Commands
{
    /// <summary>
    /// <c>check --mutants [ARCH...]</c>: the kill matrix of the mutation suite (docs/mutation.md). Every mutant on every
    /// named (or catalog) architecture's descriptor, run on the reference with the bug put back, through the same
    /// explorer and bounds as <c>check</c>; each cell says killed, survived, n/a (the bug is not possible there) or
    /// error. Exit 0 when every Linux bug and rule is killed wherever possible and no harmless change is reported.
    /// </summary>
    public static class CheckMutants
    {
        /// <summary>
        /// The mutants <paramref name="names"/> names (every one when empty), or false with a one-line
        /// <paramref name="error"/> naming the first unknown name and the known ones.
        /// </summary>
        internal static bool TryPick(IReadOnlyList<string> names, out IReadOnlyList<Mutant> picked, out string error)
        {
            error = "";
            if (names.Count == 0)
            {
                picked = Mutants.All;
                return true;
            }
            var list = new List<Mutant>();
            foreach (var name in names)
            {
                if (Mutants.Find(name) is not { } m)
                {
                    picked = Array.Empty<Mutant>();
                    error = $"unknown mutant '{name}'; known: {string.Join(", ", Mutants.All.Select(x => x.Name))}";
                    return false;
                }
                if (!list.Contains(m)) list.Add(m);
            }
            picked = list;
            return true;
        }

        /// <summary>Runs the matrix on <paramref name="targets"/>' descriptors and prints it to <paramref name="output"/>.</summary>
        public static int Run(IReadOnlyList<ArchitectureOps> targets, TextWriter output) => Run(targets, output, Mutants.All);

        /// <summary>The rows <paramref name="rows"/> of the matrix on <paramref name="targets"/>' descriptors.</summary>
        internal static int Run(IReadOnlyList<ArchitectureOps> targets, TextWriter output, IReadOnlyList<Mutant> rows)
        {
            var clock = Stopwatch.StartNew();
            var b = MutationRun.Bounds;
            output.WriteLine($"mutation suite: {rows.Count} mutants x {targets.Count} architectures on the reference, dpor bound {b.Preemptions}, {b.Random} random, {b.Pct} PCT, stop at the first violation");
            var cells = new List<MutantVerdict>();
            var names = targets.Select(t => Short(t.Name)).ToList();
            output.WriteLine($"{"mutant",-38} {"commit",-12} " + string.Join(" ", names.Select(n => $"{n,-8}")));
            foreach (var mutant in rows)
            {
                var row = new List<string>();
                foreach (var target in targets)
                {
                    var v = MutationRun.Explore(mutant, target.Descriptor);
                    cells.Add(v);
                    row.Add(v.AsExpected ? v.Word : v.Word.ToUpperInvariant());
                }
                output.WriteLine($"{mutant.Name,-38} {(mutant.Commit.Length > 0 ? mutant.Commit : mutant.Kind == MutantKind.Harmless ? "harmless" : "rule"),-12} " + string.Join(" ", row.Select(c => $"{c,-8}")));
            }
            output.WriteLine();
            foreach (var v in cells.Where(v => v.Outcome != MutantOutcome.NotApplicable && (v.Outcome == MutantOutcome.Killed || !v.AsExpected)))
                output.WriteLine((v.AsExpected ? "  " : "! ") + v);
            int Count(MutantOutcome o, bool harmless) => cells.Count(v => v.Outcome == o && (v.Mutant.Kind == MutantKind.Harmless) == harmless);
            var unexpected = cells.Count(v => !v.AsExpected);
            output.WriteLine();
            var seconds = clock.Elapsed.TotalSeconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
            output.WriteLine($"bugs: {Count(MutantOutcome.Killed, false)} killed, {Count(MutantOutcome.Survived, false)} survived, {Count(MutantOutcome.Error, false)} errors, {Count(MutantOutcome.NotApplicable, false)} n/a; " +
                $"harmless: {Count(MutantOutcome.Survived, true)} not reported, {Count(MutantOutcome.Killed, true)} reported; {unexpected} cells not as expected (upper case); {seconds} s");
            return unexpected == 0 ? 0 : CheckCommand.Found;
        }

        // Column headers of eight characters.
        private static string Short(string name)
        {
            var s = name.Replace("powerpc64-", "ppc-", StringComparison.Ordinal);
            return s.Length <= 8 ? s : s[..8];
        }
    }
}
