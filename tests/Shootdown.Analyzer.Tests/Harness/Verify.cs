using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;

namespace Shootdown.Analyzer.Tests.Harness
{
    /// <summary>
    /// Checks that the diagnostics a user would see are exactly the marked ones: an unmarked diagnostic fails, a missing one
    /// fails, one in the wrong place fails.
    /// </summary>
    internal static class Verify
    {
        /// <summary>Each markup is one file (/src/Test0.cs, /src/Test1.cs, ...).</summary>
        public static Task<PipelineResult> DiagnosticsAsync(params string[] markups) => DiagnosticsAsync(markups, editorConfig: null, defaultId: null);

        public static async Task<PipelineResult> DiagnosticsAsync(IReadOnlyList<string> markups, string? editorConfig, string? defaultId)
        {
            var files = new List<SourceFile>();
            var expected = new List<ExpectedDiagnostic>();
            for (var i = 0; i < markups.Count; i++)
            {
                var path = $"/src/Test{i}.cs";
                var (source, marks) = Markup.Parse(path, markups[i], defaultId);
                files.Add(new SourceFile(path, source));
                expected.AddRange(marks);
            }
            var result = await Pipeline.RunAsync(files, editorConfig: editorConfig);
            Assert.Empty(result.Exceptions);
            var actual = result.Visible
                .Select(d => new ExpectedDiagnostic(d.Location.SourceTree?.FilePath ?? "", d.Id, d.Location.SourceSpan))
                .ToList();

            var missing = Minus(expected, actual);
            var unexpected = Minus(actual, expected);
            if (missing.Count > 0 || unexpected.Count > 0)
                Assert.Fail(Describe(files, result, missing, unexpected));
            return result;
        }

        private static List<ExpectedDiagnostic> Minus(List<ExpectedDiagnostic> left, List<ExpectedDiagnostic> right)
        {
            var rest = new List<ExpectedDiagnostic>(right);
            var extra = new List<ExpectedDiagnostic>();
            foreach (var item in left)
            {
                if (!rest.Remove(item)) extra.Add(item);
            }
            return extra;
        }

        private static string Describe(List<SourceFile> files, PipelineResult result, List<ExpectedDiagnostic> missing, List<ExpectedDiagnostic> unexpected)
        {
            var text = new StringBuilder();
            foreach (var m in missing) text.AppendLine($"missing    {m.Id} at {Where(files, m)}");
            foreach (var u in unexpected)
            {
                var d = result.Visible.First(x => x.Id == u.Id && x.Location.SourceSpan == u.Span);
                text.AppendLine($"unexpected {u.Id} at {Where(files, u)}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}");
            }
            return text.ToString();
        }

        private static string Where(List<SourceFile> files, ExpectedDiagnostic d)
        {
            var file = files.FirstOrDefault(f => f.Path == d.Path);
            if (file is null) return $"{d.Path} {d.Span}";
            var end = System.Math.Min(d.Span.End, file.Text.Length);
            var start = System.Math.Min(d.Span.Start, end);
            var line = file.Text.Substring(0, start).Count(c => c == '\n') + 1;
            return $"{d.Path}({line}) '{file.Text.Substring(start, end - start)}'";
        }
    }
}
