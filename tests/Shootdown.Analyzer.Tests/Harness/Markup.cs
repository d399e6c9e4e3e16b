using System;
using System.Collections.Generic;
using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace Shootdown.Analyzer.Tests.Harness
{
    /// <summary>A diagnostic a test expects: its ID, and the span it must cover in one file.</summary>
    internal sealed record ExpectedDiagnostic(string Path, string Id, TextSpan Span);

    /// <summary>
    /// Test sources with the expected diagnostics marked in place: <c>{|SHD001:text|}</c> expects SHD001 exactly on "text";
    /// <c>[|text|]</c> expects the test's default ID there. Marks may nest.
    /// </summary>
    internal static class Markup
    {
        public static (string Source, List<ExpectedDiagnostic> Expected) Parse(string path, string markup, string? defaultId = null)
        {
            var source = new StringBuilder();
            var expected = new List<ExpectedDiagnostic>();
            var open = new Stack<(string Id, int Start, char Closer)>();
            var i = 0;
            while (i < markup.Length)
            {
                if (At(markup, i, "{|"))
                {
                    var colon = markup.IndexOf(':', i + 2);
                    if (colon < 0) throw new FormatException($"'{{|' without ':' at {i}");
                    open.Push((markup.Substring(i + 2, colon - i - 2), source.Length, '}'));
                    i = colon + 1;
                }
                else if (At(markup, i, "[|"))
                {
                    open.Push((defaultId ?? throw new FormatException("[|...|] needs a default diagnostic ID"), source.Length, ']'));
                    i += 2;
                }
                else if (At(markup, i, "|}") || At(markup, i, "|]"))
                {
                    if (open.Count == 0 || open.Peek().Closer != markup[i + 1]) throw new FormatException($"unbalanced '{markup.Substring(i, 2)}' at {i}");
                    var (id, start, _) = open.Pop();
                    expected.Add(new ExpectedDiagnostic(path, id, TextSpan.FromBounds(start, source.Length)));
                    i += 2;
                }
                else
                {
                    source.Append(markup[i]);
                    i++;
                }
            }
            if (open.Count > 0) throw new FormatException($"unclosed mark for {open.Peek().Id}");
            return (source.ToString(), expected);
        }

        private static bool At(string text, int index, string token) => string.CompareOrdinal(text, index, token, 0, token.Length) == 0;
    }
}
