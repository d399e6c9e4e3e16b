using System;
using System.CommandLine;
using Shootdown.Archs.Commands;

namespace Shootdown.Archs
{
    /// <summary>The command-line tool: the unmap summary, <c>list</c>, <c>show</c> and <c>check</c>.</summary>
    public static class Program
    {
        /// <summary>Exit code for a command line that names nothing the tool knows.</summary>
        public const int UsageError = 2;

        /// <summary>Exit code of a run stopped by Ctrl+C (128 + SIGINT, as shells report it).</summary>
        public const int Interrupted = 130;

        /// <summary>Parses <paramref name="args"/> and runs the command; with no arguments, the unmap summary.</summary>
        public static int Main(string[] args)
        {
            var root = new RootCommand("Shootdown: Linux mmu_gather, table freeing and fast GUP, generated per architecture and run on a simulated SMP machine.")
            {
                ListCommand.Create(),
                ShowCommand.Create(),
                CheckCommand.Create(),
            };
            root.SetAction(_ => UnmapSummary.Run(Console.Out));
            var parsed = root.Parse(args);
            if (parsed.Errors.Count > 0)
            {
                // One line: the first error and where help is.
                Console.Error.WriteLine($"{OneLine(parsed.Errors[0].Message)} (run 'shootdown --help' for usage)");
                return UsageError;
            }
            return parsed.Invoke();
        }

        // Some parser messages span lines (the list of an option's allowed values): joined, so an error stays one line.
        private static string OneLine(string message) =>
            string.Join(" ", message.Split(new[] { '\r', '\n', '\t' }, System.StringSplitOptions.RemoveEmptyEntries | System.StringSplitOptions.TrimEntries));
    }
}
