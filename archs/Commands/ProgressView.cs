using System;
using System.IO;
using Spectre.Console;

namespace Shootdown.Archs.Commands
{
    /// <summary>Where a long command reports its rows and how far it is: total, done, and time left.</summary>
    public interface IProgressSink
    {
        /// <summary>One finished item, <paramref name="done"/> of the total, and the row it printed (null: none).</summary>
        void Advance(int done, string what, string? row);
    }

    /// <summary>
    /// Progress for a terminal: a Spectre.Console bar with done/total, elapsed and remaining time on standard error while
    /// the rows go to a file, a pipe or nowhere (<c>--json</c>). When the rows share the screen with it, a live bar would
    /// fold them at its width, so a plain line rewritten in place below them says the same (done/total, time left); so it
    /// does when standard error is redirected (CI logs, tests).
    /// </summary>
    public static class ProgressView
    {
        /// <summary>Runs <paramref name="body"/> with a sink for <paramref name="total"/> items.</summary>
        public static void Run(int total, TextWriter output, TextWriter error, Action<IProgressSink> body)
        {
            var rowsOnScreen = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
            var live = ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected && !rowsOnScreen && total > 1;
            if (!live)
            {
                var plain = new PlainSink(total, output, error);
                body(plain);
                plain.Clear();
                return;
            }
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
            console.Progress().AutoClear(true)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                    new ElapsedTimeColumn(), new RemainingTimeColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask($"0/{total}", maxValue: total);
                    body(new SpectreSink(task, total, output));
                });
        }

        private sealed class SpectreSink(ProgressTask task, int total, TextWriter output) : IProgressSink
        {
            public void Advance(int done, string what, string? row)
            {
                if (row != null) output.WriteLine(row);
                var text = $"{done}/{total} {what}";
                task.Description = Markup.Escape(text.Length > 40 ? text[..40] : text.PadRight(40));
                task.Value = done;
            }
        }

        private sealed class PlainSink(int total, TextWriter output, TextWriter error) : IProgressSink
        {
            private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
            private const int Width = 78;

            public void Advance(int done, string what, string? row)
            {
                Clear();
                if (row != null) output.WriteLine(row);
                if (done >= total) return;
                var left = TimeSpan.FromSeconds(_clock.Elapsed.TotalSeconds / done * (total - done));
                var line = $"[{done}/{total}, ~{left.TotalSeconds:0} s left] {what}";
                error.Write("\r" + (line.Length > Width ? line[..Width] : line.PadRight(Width)));
            }

            public void Clear() => error.Write("\r" + new string(' ', Width) + "\r");
        }
    }
}
