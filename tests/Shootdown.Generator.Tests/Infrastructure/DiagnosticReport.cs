using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Shootdown.Generator.Tests.Infrastructure
{
    /// <summary>Diagnostics grouped by file, with the offending line, so a failure names the descriptor and the code.</summary>
    internal static class DiagnosticReport
    {
        public static string Format(IEnumerable<Diagnostic> diagnostics, int max = 40)
        {
            var list = diagnostics.ToList();
            var lines = new List<string> { $"{list.Count} diagnostic(s):" };
            foreach (var group in list.GroupBy(d => d.Location.SourceTree?.FilePath ?? "(no file)").OrderBy(g => g.Key, System.StringComparer.Ordinal))
            {
                lines.Add(group.Key);
                foreach (var d in group.Take(max))
                {
                    var span = d.Location.GetLineSpan();
                    var code = d.Location.SourceTree is { } tree
                        ? tree.GetText().Lines[span.StartLinePosition.Line].ToString().Trim()
                        : "";
                    lines.Add($"  ({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1}) {d.Id} {d.GetMessage()}");
                    if (code.Length > 0) lines.Add("      " + code);
                }
            }
            return string.Join("\n", lines);
        }
    }
}
