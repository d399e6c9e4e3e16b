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
            var descriptor = DescriptorKnobs.Defaults(name0 ?? "");
            foreach (var knob in DescriptorKnobs.All) descriptor = knob.With(descriptor, Value(reading, knob));
            reading.Descriptor = descriptor;
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

        // The knob's value as written, or its default when its attribute or argument is absent or unreadable.
        private static int Value(DescriptorReading reading, DescriptorKnob knob)
        {
            if (!reading.Attributes.TryGetValue(AttributeNames.Full(knob.Attribute), out var data)) return knob.Default;
            if (knob.Presence) return 1;
            if (knob.Named != null)
            {
                foreach (var pair in data.NamedArguments)
                {
                    if (pair.Key == knob.Named) return Number(pair.Value, knob.Default);
                }
                return knob.Default;
            }
            ImmutableArray<TypedConstant> args = data.ConstructorArguments;
            return knob.Position >= 0 && knob.Position < args.Length ? Number(args[knob.Position], knob.Default) : knob.Default;
        }

        private static int Number(TypedConstant constant, int fallback) => constant.Value switch
        {
            int value => value,
            bool value => value ? 1 : 0,
            _ => fallback,
        };

        private static T? Ctor<T>(DescriptorReading reading, string attribute, int position, T? fallback) where T : class
        {
            if (!reading.Attributes.TryGetValue(attribute, out var data)) return fallback;
            var args = data.ConstructorArguments;
            if (position >= args.Length) return fallback;
            return args[position].Value as T ?? fallback;
        }
    }
}
