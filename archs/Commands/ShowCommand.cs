using Shootdown.Simulation;
using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using Shootdown.Archs.Catalog;
using Shootdown.Archs.Registry;

namespace Shootdown.Archs.Commands
{
    /// <summary>
    /// <c>shootdown show ARCH [PIECE]</c> and <c>shootdown show --assembly X.dll [--arch NAME] [PIECE]</c>: the code the
    /// generator wrote for a catalog architecture, or for the classes of a user's assembly.
    /// </summary>
    public static class ShowCommand
    {
        /// <summary>The command.</summary>
        public static Command Create()
        {
            var first = new Argument<string?>("arch")
            {
                Description = "Architecture name, as printed by 'list' (with --arch, the piece instead).",
                Arity = ArgumentArity.ZeroOrOne,
            };
            var piece = new Argument<string?>("piece")
            {
                Description = "One generated piece: Descriptor, MmuGather, TableBatch or FastGup (all pieces when omitted).",
                Arity = ArgumentArity.ZeroOrOne,
            };
            var arch = new Option<string?>("--arch") { Description = "Architecture name; with --assembly, every class of the assembly when omitted." };
            var assembly = new Option<string?>("--assembly") { Description = "Show the classes the Shootdown generator filled in this compiled assembly instead of the catalog." };
            var command = new Command("show", "Print the generated source of an architecture, or of one of its pieces.") { first, piece, arch, assembly };
            command.SetAction(result =>
            {
                // With --arch the one positional left is the piece: show --assembly X.dll --arch my-arch MmuGather.
                var named = result.GetValue(arch);
                var archName = named ?? result.GetValue(first);
                var pieceName = named != null ? result.GetValue(first) ?? result.GetValue(piece) : result.GetValue(piece);
                var path = result.GetValue(assembly);
                return path is null
                    ? Run(archName ?? "", pieceName, Console.Out, Console.Error)
                    : RunAssembly(path, archName, pieceName, Console.Out, Console.Error);
            });
            return command;
        }

        /// <summary>
        /// Writes the pieces of <paramref name="archName"/> (or only <paramref name="pieceName"/>) to <paramref name="output"/>.
        /// An unknown architecture or piece is reported on <paramref name="error"/> with the valid names: exit code 2.
        /// </summary>
        public static int Run(string archName, string? pieceName, TextWriter output, TextWriter error) =>
            Show(ArchitectureCatalog.Entries, archName, pieceName, "", output, error);

        /// <summary>
        /// The same for the classes of the assembly at <paramref name="path"/>, loaded as <c>list</c> and <c>check</c> load it;
        /// every class when <paramref name="archName"/> is null. A class built without embedded sources is one line, exit 2.
        /// </summary>
        public static int RunAssembly(string path, string? archName, string? pieceName, TextWriter output, TextWriter error)
        {
            if (!UserAssembly.TryLoadRegistry(path, out var entries, out var why))
            {
                error.WriteLine(why);
                return Program.UsageError;
            }
            // The generator embeds the texts only when asked; without them there is nothing to print, so say how to ask.
            var hint = $"; build {Path.GetFileName(path)} with <ShootdownEmbedGeneratedSources>true</ShootdownEmbedGeneratedSources> to embed them";
            if (archName != null) return Show(entries, archName, pieceName, hint, output, error);
            foreach (var entry in entries)
            {
                var code = Show(entries, entry.Name, pieceName, hint, output, error);
                if (code != 0) return code;
            }
            return 0;
        }

        private static int Show(IReadOnlyList<GeneratedArchitecture> entries, string archName, string? pieceName, string hint, TextWriter output, TextWriter error)
        {
            var entry = Find(entries, archName);
            if (entry is null)
            {
                error.WriteLine($"unknown architecture '{archName}'; valid names: {string.Join(", ", Names(entries))}");
                return Program.UsageError;
            }
            if (entry.Sources.Count == 0)
            {
                error.WriteLine($"{entry.Name} has no generated sources embedded{hint}");
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

        private static GeneratedArchitecture? Find(IReadOnlyList<GeneratedArchitecture> entries, string name)
        {
            foreach (var entry in entries)
            {
                if (string.Equals(entry.Name, name, StringComparison.OrdinalIgnoreCase)) return entry;
            }
            return null;
        }

        private static IEnumerable<string> Names(IReadOnlyList<GeneratedArchitecture> entries)
        {
            foreach (var entry in entries) yield return entry.Name;
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
