using Shootdown.Simulation;
using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using Shootdown.Archs.Catalog;

namespace Shootdown.Archs.Commands
{
    /// <summary><c>shootdown show ARCH [PIECE]</c>: the code the generator wrote for an architecture.</summary>
    public static class ShowCommand
    {
        /// <summary>The command.</summary>
        public static Command Create()
        {
            var arch = new Argument<string>("arch") { Description = "Architecture name, as printed by 'list'." };
            var piece = new Argument<string?>("piece")
            {
                Description = "One generated piece: Descriptor, MmuGather, TableBatch or FastGup (all pieces when omitted).",
                Arity = ArgumentArity.ZeroOrOne,
            };
            var command = new Command("show", "Print the generated source of an architecture, or of one of its pieces.") { arch, piece };
            command.SetAction(result => Run(result.GetValue(arch) ?? "", result.GetValue(piece), Console.Out, Console.Error));
            return command;
        }

        /// <summary>
        /// Writes the pieces of <paramref name="archName"/> (or only <paramref name="pieceName"/>) to <paramref name="output"/>.
        /// An unknown architecture or piece is reported on <paramref name="error"/> with the valid names: exit code 2.
        /// </summary>
        public static int Run(string archName, string? pieceName, TextWriter output, TextWriter error)
        {
            var entry = ArchitectureCatalog.FindEntry(archName);
            if (entry is null)
            {
                error.WriteLine($"unknown architecture '{archName}'; valid names: {string.Join(", ", ArchitectureCatalog.Names)}");
                return Program.UsageError;
            }
            if (pieceName is null)
            {
                foreach (var piece in entry.Sources) Write(output, entry.Name, piece);
                return 0;
            }
            foreach (var piece in entry.Sources)
            {
                if (string.Equals(piece.Key, pieceName, StringComparison.OrdinalIgnoreCase))
                {
                    Write(output, entry.Name, piece);
                    return 0;
                }
            }
            error.WriteLine($"{entry.Name} has no generated piece '{pieceName}'; valid pieces: {string.Join(", ", PieceNames(entry))}");
            return Program.UsageError;
        }

        private static IEnumerable<string> PieceNames(GeneratedArchitecture entry)
        {
            foreach (var piece in entry.Sources) yield return piece.Key;
        }

        private static void Write(TextWriter output, string arch, KeyValuePair<string, string> piece)
        {
            output.WriteLine($"// ===== {arch}: {piece.Key} =====");
            output.Write(piece.Value);
            output.WriteLine();
        }
    }
}
