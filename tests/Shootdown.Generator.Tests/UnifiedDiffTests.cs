using Shootdown.Generator.Tests.Infrastructure;

namespace Shootdown.Generator.Tests
{
    /// <summary>The diff printed for a snapshot mismatch.</summary>
    public sealed class UnifiedDiffTests
    {
        [Fact]
        public void Changed_line_is_shown_with_context_and_hunk_header()
        {
            var before = "a\nb\nc\nd\ne\nf\ng\nh\n";
            var after = "a\nb\nc\nd\nE\nf\ng\nh\n";

            var diff = UnifiedDiff.Create(before, after, "x.verified.cs", "x.received.cs");

            Assert.Equal(
                "--- x.verified.cs\n+++ x.received.cs\n@@ -2,7 +2,7 @@\n b\n c\n d\n-e\n+E\n f\n g\n h\n",
                diff);
        }

        [Fact]
        public void Distant_changes_get_separate_hunks()
        {
            var before = string.Join("\n", System.Linq.Enumerable.Range(1, 20)) + "\n";
            var after = before.Replace("\n2\n", "\ntwo\n").Replace("\n19\n", "\nnineteen\n");

            var diff = UnifiedDiff.Create(before, after, "a", "b");

            Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(diff, "^@@ ", System.Text.RegularExpressions.RegexOptions.Multiline).Count);
            Assert.Contains("-2\n+two\n", diff);
            Assert.Contains("-19\n+nineteen\n", diff);
        }
    }
}
