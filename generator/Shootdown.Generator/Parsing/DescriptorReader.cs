using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace Shootdown.Generator.Parsing
{
    /// <summary>A problem found while reading a descriptor, before its values can be judged.</summary>
    internal sealed record ReadProblem(string Id, DescriptorSlot Slot, string? Attribute, string Message);

    /// <summary>What the reader made of a class: the descriptor (null if unreadable), the problems, and the attributes by name.</summary>
    internal sealed class DescriptorReading
    {
        public ArchDescriptor? Descriptor { get; set; }
        public List<ReadProblem> Problems { get; } = new();
        public Dictionary<string, AttributeData> Attributes { get; } = new();

        /// <summary>True when a compiler error already sits on one of the attributes (wrong types, missing arguments).</summary>
        public bool HasCompilerErrors { get; set; }
    }

    /// <summary>
    /// Reads the descriptor attributes of a class into an <see cref="ArchDescriptor"/>. Shared by the generator and the
    /// analyzer, so both see the same values; never throws on malformed attributes.
    /// </summary>
    internal static class DescriptorReader
    {
        public static DescriptorReading Read(INamedTypeSymbol type, CancellationToken cancellationToken)
        {
            var reading = new DescriptorReading();
            foreach (var attribute in type.GetAttributes())
            {
                cancellationToken.ThrowIfCancellationRequested();
                var name = attribute.AttributeClass?.ToDisplayString();
                if (name is null || !name.StartsWith("Shootdown.", System.StringComparison.Ordinal)) continue;
                if (attribute.AttributeClass is IErrorTypeSymbol) continue;
                if (!reading.Attributes.ContainsKey(name)) reading.Attributes.Add(name, attribute);
                if (HasErrorArgument(attribute)) reading.HasCompilerErrors = true;
            }

            if (!reading.Attributes.ContainsKey(AttributeNames.Architecture))
            {
                foreach (var aspect in AttributeNames.Aspects)
                {
                    if (reading.Attributes.ContainsKey(aspect))
                        reading.Problems.Add(new ReadProblem(DescriptorRules.AspectWithoutArchitecture, DescriptorSlot.Class, aspect,
                            $"[{AttributeNames.Short(aspect)}] on '{type.Name}' has no effect without [Architecture(\"name\")]: nothing is generated or checked; add [Architecture] or remove the attribute"));
                }
                return reading;
            }
            foreach (var required in AttributeNames.Required)
            {
                if (!reading.Attributes.ContainsKey(required))
                {
                    reading.Problems.Add(new ReadProblem(DescriptorRules.MissingAspect, DescriptorSlot.Class, null,
                        $"Architecture '{type.Name}' has no [{AttributeNames.Short(required)}]: {Why(required)}"));
                }
            }
            if (reading.HasCompilerErrors || reading.Problems.Count > 0) return reading;

            var name0 = Ctor<string>(reading, AttributeNames.Architecture, 0, null);
            reading.Descriptor = new ArchDescriptor(
                Name: name0 ?? "",
                Invalidation: (Invalidation)Ctor(reading, AttributeNames.TlbInvalidation, 0, 0),
                SynchronousOnClear: Named(reading, AttributeNames.TlbInvalidation, "SynchronousOnClear", false),
                Levels: Ctor(reading, AttributeNames.PageTables, 0, 0),
                PageSize: Named(reading, AttributeNames.PageTables, "PageSize", 4096),
                FragmentsPerPage: Named(reading, AttributeNames.PageTables, "FragmentsPerPage", 1),
                PteBits: Ctor(reading, AttributeNames.PteFormat, 0, 0),
                WordBits: Ctor(reading, AttributeNames.PteFormat, 1, 0),
                PteSpecial: Named(reading, AttributeNames.PteFormat, "SpecialBit", false),
                Walker: reading.Attributes.ContainsKey(AttributeNames.HardwareWalker) ? (WalkerKind)Ctor(reading, AttributeNames.HardwareWalker, 0, 0) : WalkerKind.None,
                SoftwareTlbRefill: reading.Attributes.ContainsKey(AttributeNames.SoftwareTlbRefill),
                Options: (GatherOptions)Ctor(reading, AttributeNames.Gather, 0, 0),
                FastGup: reading.Attributes.ContainsKey(AttributeNames.FastGup),
                PteRead: (PteRead)Ctor(reading, AttributeNames.FastGup, 0, 0))
            {
                AtomicLoadBits = Named(reading, AttributeNames.PteFormat, "AtomicLoadBits", 0),
                PtrsPerPte = Named(reading, AttributeNames.PageTables, "PtrsPerPte", 0),
                PtrsPerPmd = Named(reading, AttributeNames.PageTables, "PtrsPerPmd", 0),
                PtrsPerPud = Named(reading, AttributeNames.PageTables, "PtrsPerPud", 0),
                PtrsPerP4d = Named(reading, AttributeNames.PageTables, "PtrsPerP4d", 0),
                PtrsPerPgd = Named(reading, AttributeNames.PageTables, "PtrsPerPgd", 0),
            };
            if (name0 is null)
                reading.Problems.Add(new ReadProblem(DescriptorRules.BadArgument, DescriptorSlot.Name, AttributeNames.Architecture,
                    "The architecture name is null; give it the name Linux uses (for example \"x86-64\")"));
            return reading;
        }

        private static string Why(string attribute) => attribute switch
        {
            AttributeNames.TlbInvalidation => "without the invalidation mode nobody can tell whether lockless walkers are waited for",
            AttributeNames.PageTables => "the levels decide the walk and which tables can be freed",
            _ => "the PTE and word widths decide whether a PTE can be read in one load",
        };

        private static bool HasErrorArgument(AttributeData attribute)
        {
            if (attribute.AttributeConstructor is null) return true;
            foreach (var arg in attribute.ConstructorArguments)
            {
                if (arg.Kind == TypedConstantKind.Error) return true;
            }
            foreach (var arg in attribute.NamedArguments)
            {
                if (arg.Value.Kind == TypedConstantKind.Error) return true;
            }
            return false;
        }

        private static int Ctor(DescriptorReading reading, string attribute, int position, int fallback)
        {
            if (!reading.Attributes.TryGetValue(attribute, out var data)) return fallback;
            ImmutableArray<TypedConstant> args = data.ConstructorArguments;
            if (position >= args.Length) return fallback;
            return args[position].Value is int value ? value : fallback;
        }

        private static T? Ctor<T>(DescriptorReading reading, string attribute, int position, T? fallback) where T : class
        {
            if (!reading.Attributes.TryGetValue(attribute, out var data)) return fallback;
            var args = data.ConstructorArguments;
            if (position >= args.Length) return fallback;
            return args[position].Value as T ?? fallback;
        }

        private static T Named<T>(DescriptorReading reading, string attribute, string name, T fallback)
        {
            if (!reading.Attributes.TryGetValue(attribute, out var data)) return fallback;
            foreach (var pair in data.NamedArguments)
            {
                if (pair.Key == name && pair.Value.Value is T value) return value;
            }
            return fallback;
        }
    }
}
