using System.IO;
using System.Linq;
using Shootdown.Generator.Tests.Infrastructure;

namespace Shootdown.Generator.Tests
{
    /// <summary>
    /// Every piece generated for every catalog architecture, against its checked-in snapshot. The <c>Sources</c> piece
    /// (the other pieces' texts, embedded for <c>show</c>) has no snapshot of its own: it would repeat the others byte for
    /// byte, so a test checks that it holds exactly them instead.
    /// </summary>
    public sealed class SnapshotTests
    {
        private const string SourcesSuffix = ".Sources.g.cs";

        /// <summary>Hint names of the catalog run: one test case per generated piece, the embedded sources aside.</summary>
        public static TheoryData<string> CatalogHintNames()
        {
            var data = new TheoryData<string>();
            foreach (var file in Catalog.Run.Files)
            {
                if (!file.HintName.EndsWith(SourcesSuffix, System.StringComparison.Ordinal)) data.Add(file.HintName);
            }
            return data;
        }

        [Fact]
        public void Embedded_sources_hold_every_other_piece_of_their_architecture_verbatim()
        {
            Catalog.Run.AssertNoGeneratorFailure();
            var sources = Catalog.Run.Files.Where(f => f.HintName.EndsWith(SourcesSuffix, System.StringComparison.Ordinal)).ToList();
            Assert.NotEmpty(sources);
            foreach (var embedded in sources)
            {
                var prefix = embedded.HintName.Substring(0, embedded.HintName.Length - SourcesSuffix.Length) + ".";
                var pieces = Catalog.Run.Files.Where(f => f.HintName.StartsWith(prefix, System.StringComparison.Ordinal) && f != embedded).ToList();
                Assert.NotEmpty(pieces);
                foreach (var piece in pieces)
                {
                    var literal = Microsoft.CodeAnalysis.CSharp.SymbolDisplay.FormatLiteral(piece.Text, quote: true);
                    Assert.True(embedded.Text.Contains(literal, System.StringComparison.Ordinal),
                        $"{embedded.HintName} does not embed {piece.HintName} as generated");
                }
            }
        }

        [Theory]
        [MemberData(nameof(CatalogHintNames))]
        public void Generated_file_matches_verified_snapshot(string hintName)
        {
            Catalog.Run.AssertNoGeneratorFailure();
            Snapshots.Verify(hintName, Catalog.Run.FilesByHint[hintName]);
        }

        [Fact]
        public void Every_verified_snapshot_is_still_generated()
        {
            var produced = Catalog.Run.Files.Select(f => f.HintName).Where(h => !h.EndsWith(SourcesSuffix, System.StringComparison.Ordinal)).ToHashSet();
            var orphans = Snapshots.VerifiedHintNames().Where(h => !produced.Contains(h)).ToList();
            if (Snapshots.Accepting)
            {
                // Accepting means making the snapshots what the generator produces now, removals included.
                foreach (var orphan in orphans) File.Delete(Snapshots.VerifiedPath(orphan));
                return;
            }
            Assert.True(orphans.Count == 0,
                "Verified snapshots that no catalog architecture generates any more (delete them, or run with SHOOTDOWN_ACCEPT=1):\n"
                + string.Join("\n", orphans.Select(Snapshots.VerifiedPath)));
        }

        [Fact]
        public void Catalog_generates_files()
        {
            Catalog.Run.AssertNoGeneratorFailure();
            Assert.NotEmpty(Catalog.Run.Files);
        }
    }
}
