using System.IO;
using System.Linq;
using Shootdown.Generator.Tests.Infrastructure;

namespace Shootdown.Generator.Tests
{
    /// <summary>Every file generated for every catalog architecture, against its checked-in snapshot.</summary>
    public sealed class SnapshotTests
    {
        /// <summary>Hint names of the catalog run: one test case per generated file.</summary>
        public static TheoryData<string> CatalogHintNames()
        {
            var data = new TheoryData<string>();
            foreach (var file in Catalog.Run.Files) data.Add(file.HintName);
            return data;
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
            var produced = Catalog.Run.Files.Select(f => f.HintName).ToHashSet();
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
