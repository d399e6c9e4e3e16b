using System;
using System.CommandLine;
using System.IO;
using Shootdown.Archs.Catalog;

namespace Shootdown.Archs.Commands
{
    /// <summary><c>shootdown list</c>: every catalog architecture with its descriptor on one line.</summary>
    public static class ListCommand
    {
        /// <summary>The command.</summary>
        public static Command Create()
        {
            var command = new Command("list", "List the catalog architectures, each with its descriptor in Kconfig terms.");
            command.SetAction(_ => Run(Console.Out));
            return command;
        }

        /// <summary>Writes one line per architecture to <paramref name="output"/>.</summary>
        public static int Run(TextWriter output)
        {
            var width = 0;
            foreach (var name in ArchitectureCatalog.Names) width = Math.Max(width, name.Length);
            foreach (var entry in ArchitectureCatalog.Entries)
                output.WriteLine(entry.Name.PadRight(width) + "  " + entry.Ops.Descriptor.Summary());
            return 0;
        }
    }
}
