using System;
using System.Collections.Generic;
using System.Globalization;
using System.Security;
using System.Text;

namespace Shootdown.Explorer
{
    /// <summary>A witness as SVG for the docs: lanes per CPU, one row per event, the violation in red.</summary>
    public static class SvgLanes
    {
        private const int LaneWidth = 420;
        private const int RowHeight = 22;
        private const int Top = 64;
        private const int Left = 40;

        /// <summary>The SVG document for <paramref name="rows"/> under <paramref name="title"/>.</summary>
        public static string Render(string title, string replayId, IReadOnlyList<WitnessRow> rows, IReadOnlyList<string> roles)
        {
            ArgumentNullException.ThrowIfNull(rows);
            ArgumentNullException.ThrowIfNull(roles);
            var width = Left + roles.Count * LaneWidth + 20;
            var height = Top + rows.Count * RowHeight + 30;
            var b = new StringBuilder();
            b.AppendLine(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"monospace\" font-size=\"12\">");
            b.AppendLine(CultureInfo.InvariantCulture, $"  <rect width=\"{width}\" height=\"{height}\" fill=\"#ffffff\"/>");
            b.AppendLine(CultureInfo.InvariantCulture, $"  <text x=\"{Left}\" y=\"20\" font-size=\"14\" font-weight=\"bold\">{Escape(title)}</text>");
            b.AppendLine(CultureInfo.InvariantCulture, $"  <text x=\"{Left}\" y=\"38\" fill=\"#555555\">replay: {Escape(replayId)}</text>");
            for (var i = 0; i < roles.Count; i++)
            {
                var x = Left + i * LaneWidth;
                b.AppendLine(CultureInfo.InvariantCulture, $"  <rect x=\"{x}\" y=\"{Top - 18}\" width=\"{LaneWidth - 10}\" height=\"{rows.Count * RowHeight + 22}\" fill=\"{(i % 2 == 0 ? "#f4f7fb" : "#f7f4fb")}\" stroke=\"#c8cdd6\"/>");
                b.AppendLine(CultureInfo.InvariantCulture, $"  <text x=\"{x + 8}\" y=\"{Top - 4}\" font-weight=\"bold\">cpu{i} {Escape(roles[i])}</text>");
            }
            for (var r = 0; r < rows.Count; r++)
            {
                var row = rows[r];
                var lane = row.Lane < 0 ? roles.Count - 1 : row.Lane;
                var x = Left + lane * LaneWidth + 8;
                var y = Top + (r + 1) * RowHeight - 4;
                b.AppendLine(CultureInfo.InvariantCulture, $"  <text x=\"{Left - 34}\" y=\"{y}\" fill=\"#999999\">{r + 1}</text>");
                var text = row.Text.Length > 60 ? row.Text.Substring(0, 57) + "..." : row.Text;
                if (row.IsViolation)
                {
                    b.AppendLine(CultureInfo.InvariantCulture, $"  <rect x=\"{x - 4}\" y=\"{y - 14}\" width=\"{LaneWidth - 18}\" height=\"{RowHeight - 2}\" fill=\"#fde2e2\" stroke=\"#d33\"/>");
                    b.AppendLine(CultureInfo.InvariantCulture, $"  <text x=\"{x}\" y=\"{y}\" fill=\"#b00000\" font-weight=\"bold\"><title>{Escape(row.Text)}</title>{Escape(text)}</text>");
                }
                else
                {
                    b.AppendLine(CultureInfo.InvariantCulture, $"  <text x=\"{x}\" y=\"{y}\"><title>{Escape(row.Text)}</title>{Escape(text)}</text>");
                }
            }
            b.AppendLine("</svg>");
            return b.ToString();
        }

        private static string Escape(string s) => SecurityElement.Escape(s) ?? "";
    }
}
