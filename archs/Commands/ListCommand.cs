using System;
using System.CommandLine;
using System.IO;
using Shootdown.Archs.Catalog;
using Shootdown.Explorer;

namespace Shootdown.Archs.Commands
{
    /// <summary><c>shootdown list</c>: every catalog architecture with its descriptor on one line.</summary>
    public static class ListCommand
    {
        /// <summary>The command.</summary>
        public static Command Create()
        {
            var assembly = new Option<string?>("--assembly") { Description = "List the classes the Shootdown generator filled in this compiled assembly instead of the catalog." };
            var command = new Command("list", "List the catalog architectures (or an assembly's), each with its descriptor in Kconfig terms.") { assembly };
            command.SetAction(result =>
            {
                if (!Targets.TryResolve(System.Array.Empty<string>(), result.GetValue(assembly), out var targets, out var why))
                {
                    Console.Error.WriteLine(why);
                    return Program.UsageError;
                }
                return Run(targets, Console.Out);
            });
            return command;
        }

        /// <summary>Writes one line per architecture to <paramref name="output"/>.</summary>
        public static int Run(TextWriter output) => Run(ArchitectureCatalog.All, output);

        /// <summary>Writes one line per architecture of <paramref name="targets"/> to <paramref name="output"/>.</summary>
        public static int Run(System.Collections.Generic.IReadOnlyList<Shootdown.Simulation.ArchitectureOps> targets, TextWriter output)
        {
            var width = 0;
            foreach (var ops in targets) width = Math.Max(width, ops.Name.Length);
            foreach (var ops in targets)
                output.WriteLine(ops.Name.PadRight(width) + "  " + ops.Descriptor.Summary() + "  [" + DescriptorId.Encode(ops.Descriptor) + "]");
            return 0;
        }
    }
}
