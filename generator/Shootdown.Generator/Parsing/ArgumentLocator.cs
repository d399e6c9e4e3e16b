using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Shootdown.Generator.Parsing
{
    /// <summary>
    /// Finds where a descriptor slot is written: the exact attribute argument when it is written, else the attribute,
    /// else the class name. Lets a diagnostic sit on the one token a user has to change.
    /// </summary>
    internal static class ArgumentLocator
    {
        /// <summary>
        /// The location of <paramref name="slot"/> on <paramref name="type"/>. <paramref name="attribute"/> names the attribute
        /// when the finding is about an attribute as a whole (an aspect without [Architecture]); it wins over the slot's own.
        /// </summary>
        public static Location Locate(INamedTypeSymbol type, IReadOnlyDictionary<string, AttributeData> attributes, DescriptorSlot slot,
            string? attribute, CancellationToken cancellationToken)
        {
            var (slotAttribute, position, named) = DescriptorSlots.Of(slot);
            var attributeName = attribute ?? slotAttribute;
            if (attributeName != null && attributes.TryGetValue(attributeName, out var data)
                && data.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is AttributeSyntax syntax)
            {
                if (attribute == null || attribute == slotAttribute)
                {
                    var argument = Argument(data, syntax, position, named);
                    if (argument != null) return argument.GetLocation();
                }
                return syntax.GetLocation();
            }
            return ClassName(type);
        }

        /// <summary>The attribute argument for a constructor position or a named property, or null when it is not written.</summary>
        public static AttributeArgumentSyntax? Argument(AttributeData data, AttributeSyntax syntax, int position, string? named)
        {
            var arguments = syntax.ArgumentList?.Arguments;
            if (arguments is null) return null;
            if (named != null)
            {
                foreach (var argument in arguments.Value)
                {
                    if (argument.NameEquals?.Name.Identifier.ValueText == named) return argument;
                }
                return null;
            }
            if (position < 0) return null;

            // A constructor argument may be written by parameter name ("read: PteRead.LowHighSplit") in any order.
            var parameters = data.AttributeConstructor?.Parameters;
            var parameterName = parameters != null && position < parameters.Value.Length ? parameters.Value[position].Name : null;
            var index = 0;
            foreach (var argument in arguments.Value)
            {
                if (argument.NameEquals != null) continue;
                if (argument.NameColon != null)
                {
                    if (argument.NameColon.Name.Identifier.ValueText == parameterName) return argument;
                    continue;
                }
                if (index == position) return argument;
                index++;
            }
            return null;
        }

        /// <summary>The class identifier in its first source declaration, or the symbol's first location.</summary>
        public static Location ClassName(INamedTypeSymbol type)
        {
            foreach (var location in type.Locations)
            {
                if (location.IsInSource) return location;
            }
            return type.Locations.Length > 0 ? type.Locations[0] : Location.None;
        }
    }
}
