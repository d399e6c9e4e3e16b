using System;
using System.Linq;
using System.Text;
using DiffPlex;
using DiffPlex.Model;

namespace Shootdown.Generator.Tests.Infrastructure
{
    /// <summary>A unified diff (as <c>diff -u</c> prints it) of two texts, built on DiffPlex's line diff.</summary>
    internal static class UnifiedDiff
    {
        private const int Context = 3;

        public static string Create(string expected, string actual, string expectedName, string actualName)
        {
            var diff = new Differ().CreateLineDiffs(expected, actual, false, false);
            var a = diff.PiecesOld.ToArray();
            var b = diff.PiecesNew.ToArray();
            var blocks = diff.DiffBlocks.ToArray();
            var output = new StringBuilder();
            output.Append("--- ").Append(expectedName).Append('\n');
            output.Append("+++ ").Append(actualName).Append('\n');

            var i = 0;
            while (i < blocks.Length)
            {
                // Blocks closer than twice the context share one hunk.
                var last = i;
                while (last + 1 < blocks.Length && blocks[last + 1].DeleteStartA - End(blocks[last]) <= 2 * Context) last++;

                // Unchanged lines around a hunk are the same lines on both sides, so both sides take the same context.
                var before = Math.Min(Context, Math.Min(blocks[i].DeleteStartA, blocks[i].InsertStartB));
                var lastEndB = blocks[last].InsertStartB + blocks[last].InsertCountB;
                var after = Math.Min(Context, Math.Min(a.Length - End(blocks[last]), b.Length - lastEndB));
                var startA = blocks[i].DeleteStartA - before;
                var startB = blocks[i].InsertStartB - before;
                var endA = End(blocks[last]) + after;
                var endB = lastEndB + after;
                output.Append("@@ -").Append(Range(startA, endA - startA)).Append(" +").Append(Range(startB, endB - startB)).Append(" @@\n");

                var lineA = startA;
                for (var k = i; k <= last; k++)
                {
                    var block = blocks[k];
                    for (; lineA < block.DeleteStartA; lineA++) output.Append(' ').Append(a[lineA]).Append('\n');
                    for (var d = 0; d < block.DeleteCountA; d++) output.Append('-').Append(a[block.DeleteStartA + d]).Append('\n');
                    for (var n = 0; n < block.InsertCountB; n++) output.Append('+').Append(b[block.InsertStartB + n]).Append('\n');
                    lineA = block.DeleteStartA + block.DeleteCountA;
                }
                for (; lineA < endA; lineA++) output.Append(' ').Append(a[lineA]).Append('\n');
                i = last + 1;
            }
            return output.ToString();
        }

        private static int End(DiffBlock block) => block.DeleteStartA + block.DeleteCountA;

        private static string Range(int start, int count) => count == 0 ? start + ",0" : (start + 1) + "," + count;
    }
}
