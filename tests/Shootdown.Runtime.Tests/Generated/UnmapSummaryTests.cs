using System;
using System.IO;
using System.Linq;
using Shootdown.Archs.Commands;

namespace Shootdown.Runtime.Tests.Generated
{
    /// <summary>The main job's table says what each of its columns counts.</summary>
    public sealed class UnmapSummaryTests
    {
        [Fact]
        public void Every_column_of_the_main_table_has_a_legend_line_under_it()
        {
            var output = new StringWriter();
            Assert.Equal(0, UnmapSummary.Run(output));
            var lines = output.ToString().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
            var header = lines.FindIndex(l => l.StartsWith("architecture", StringComparison.Ordinal));
            Assert.True(header >= 0, output.ToString());
            var columns = lines[header].Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Where(c => c != "result").ToList();
            Assert.True(columns.Count >= 7, lines[header]);
            var legend = lines.Skip(header + 1).SkipWhile(l => l.Length > 0).Skip(1).Where(l => l.Length > 0).ToList();
            foreach (var column in columns)
            {
                var line = legend.SingleOrDefault(l => l.StartsWith(column + ": ", StringComparison.Ordinal));
                Assert.True(line != null && line.Length > column.Length + 12, $"no legend line for column '{column}':\n{output}");
            }
            Assert.Equal(columns.Count, legend.Count);
        }
    }
}
