using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Shootdown.Explorer
{
    /// <summary>A witness as text: one column per CPU, one row per event, top to bottom in execution order.</summary>
    public static class LaneDiagram
    {
        /// <summary>Renders <paramref name="rows"/> for <paramref name="roles"/>, each column <paramref name="width"/> wide.</summary>
        public static string Render(IReadOnlyList<WitnessRow> rows, IReadOnlyList<string> roles, int width = 46)
        {
            ArgumentNullException.ThrowIfNull(rows);
            ArgumentNullException.ThrowIfNull(roles);
            if (width < 16) throw new ArgumentOutOfRangeException(nameof(width), width, "at least 16 columns");
            var b = new StringBuilder();
            var header = new List<string>();
            for (var i = 0; i < roles.Count; i++) header.Add($"cpu{i.ToString(CultureInfo.InvariantCulture)} {roles[i]}");
            Line(b, header, width);
            var rule = new List<string>();
            for (var i = 0; i < roles.Count; i++) rule.Add(new string('-', width));
            Line(b, rule, width);
            var step = 0;
            foreach (var row in rows)
            {
                step++;
                var lane = row.Lane < 0 ? roles.Count - 1 : row.Lane;
                var text = row.Lane < 0 ? "end check: " + row.Text : row.Text;
                var chunks = Wrap(text, width);
                for (var c = 0; c < chunks.Count; c++)
                {
                    var cells = new List<string>();
                    for (var i = 0; i < roles.Count; i++) cells.Add(i == lane ? chunks[c] : (c == 0 && i < lane ? "." : ""));
                    b.Append(c == 0 ? $"{step,4} " : "     ");
                    Line(b, cells, width, indent: false);
                }
            }
            return b.ToString();
        }

        private static void Line(StringBuilder b, List<string> cells, int width, bool indent = true)
        {
            if (indent) b.Append("     ");
            for (var i = 0; i < cells.Count; i++)
            {
                var cell = cells[i];
                b.Append(i < cells.Count - 1 ? cell.PadRight(width) + " | " : cell);
            }
            b.AppendLine();
        }

        private static List<string> Wrap(string text, int width)
        {
            var lines = new List<string>();
            while (text.Length > width)
            {
                var cut = text.LastIndexOf(' ', width);
                if (cut <= 0) cut = width;
                lines.Add(text.Substring(0, cut));
                text = "  " + text.Substring(cut).TrimStart();
            }
            lines.Add(text);
            return lines;
        }
    }
}
