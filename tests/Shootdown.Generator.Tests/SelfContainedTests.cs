using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Shootdown.Generator.Tests.Infrastructure;
using Xunit;

namespace Shootdown.Generator.Tests
{
    /// <summary>
    /// The project explains itself: code, docs and tests cite Linux (file, function, commit) or this repository's docs/,
    /// never a brief or a mailing-list archive kept outside it, which a reader of the repository cannot open.
    /// </summary>
    public sealed class SelfContainedTests
    {
        // Spelled in pieces so that this file does not match itself.
        private static readonly Regex OutsideReference = new(
            string.Join("|", "model" + @"\.md", @"\bseeds?\s+0\d\d\b", "shared" + "/(docs|seeds|hooks)", @"\.\./" + "shared/"),
            RegexOptions.IgnoreCase | RegexOptions.Compiled);

        private static readonly HashSet<string> TextExtensions = new(StringComparer.OrdinalIgnoreCase)
        {
            ".cs", ".md", ".csproj", ".props", ".targets", ".sln", ".json", ".sh", ".txt", ".yml", ".yaml", ".editorconfig", ".config",
        };

        [Fact]
        public void No_file_cites_a_document_outside_the_repository()
        {
            var hits = new List<string>();
            foreach (var file in SourceFiles(RepositoryRoot.Path))
            {
                var lines = File.ReadAllLines(file);
                for (var i = 0; i < lines.Length; i++)
                {
                    if (OutsideReference.IsMatch(lines[i]))
                        hits.Add($"{Path.GetRelativePath(RepositoryRoot.Path, file)}:{i + 1}: {lines[i].Trim()}");
                }
            }
            Assert.True(hits.Count == 0, "cite Linux or docs/ instead:\n" + string.Join("\n", hits));
        }

        [Theory]
        [InlineData("/// A race shape of " + "model" + ".md section 5")]
        [InlineData("// the ARM thread of " + "se" + "ed 002")]
        [InlineData("see ../" + "sha" + "red/docs")]
        public void The_pattern_catches_outside_references(string line) => Assert.Matches(OutsideReference, line);

        [Theory]
        [InlineData("64 random and 64 PCT runs, seed 1")]
        [InlineData("var seed = 1000 + i;")]
        public void The_pattern_leaves_random_seeds_alone(string line) => Assert.DoesNotMatch(OutsideReference, line);

        private static IEnumerable<string> SourceFiles(string root)
        {
            var pending = new Stack<string>();
            pending.Push(root);
            while (pending.Count > 0)
            {
                var dir = pending.Pop();
                foreach (var sub in Directory.EnumerateDirectories(dir))
                {
                    var name = Path.GetFileName(sub);
                    if (name is ".git" or ".vs" or ".idea" or "bin" or "obj" or "BenchmarkDotNet.Artifacts" or "node_modules") continue;
                    pending.Push(sub);
                }
                foreach (var file in Directory.EnumerateFiles(dir))
                {
                    var name = Path.GetFileName(file);
                    if (TextExtensions.Contains(Path.GetExtension(file)) || name is "run" or ".gitignore") yield return file;
                }
            }
        }
    }
}
