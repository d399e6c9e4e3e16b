using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace Shootdown.Runtime.Tests.Differential
{
    /// <summary>
    /// Writes a descriptor back as the attributes a user would put on an architecture class, knob by knob from
    /// <see cref="DescriptorKnobs.All"/>: constructor arguments always, named arguments when not at their default, an
    /// attribute whose presence is a knob only when that knob is set.
    /// </summary>
    internal static class DescriptorSourceWriter
    {
        /// <summary>The namespace every compiled descriptor class lives in.</summary>
        public const string Namespace = "Differential.Descriptors";

        /// <summary>One architecture class named <paramref name="className"/> describing <paramref name="d"/>.</summary>
        public static string File(ArchDescriptor d, string className)
        {
            var text = new StringBuilder()
                .Append("using Shootdown;\n\nnamespace ").Append(Namespace).Append("\n{\n")
                .Append("    /// <summary>").Append(d.Summary().Replace("&", "&amp;").Replace("<", "&lt;")).Append("</summary>\n");
            foreach (var attribute in Attributes(d)) text.Append("    ").Append(attribute).Append('\n');
            return text.Append("    public static partial class ").Append(className).Append("\n    {\n    }\n}\n").ToString();
        }

        /// <summary>The attributes describing <paramref name="d"/>, one a line.</summary>
        public static IEnumerable<string> Attributes(ArchDescriptor d)
        {
            foreach (var attribute in DescriptorKnobs.Attributes())
            {
                var knobs = DescriptorKnobs.All.Where(k => k.Attribute == attribute).ToList();
                if (knobs.Any(k => k.Presence && k.Get(d) == 0)) continue;
                var positional = knobs.Where(k => k.Position >= 0).OrderBy(k => k.Position).Select(k => Value(k, k.Get(d)));
                if (attribute == DescriptorKnobs.ArchitectureAttribute) positional = positional.Prepend("\"" + d.Name + "\"");
                var named = knobs.Where(k => k.Named != null && k.Get(d) != k.Default).Select(k => k.Named + " = " + Value(k, k.Get(d)));
                var arguments = positional.Concat(named).ToList();
                yield return "[" + attribute + (arguments.Count == 0 ? "" : "(" + string.Join(", ", arguments) + ")") + "]";
            }
        }

        private static string Value(DescriptorKnob knob, int value) => knob.Kind switch
        {
            KnobKind.Bool => value != 0 ? "true" : "false",
            KnobKind.Enum => knob.EnumType!.Name + "." + DescriptorKnobs.EnumName(knob, value),
            KnobKind.Flags => value == 0 ? "GatherOptions.None" : string.Join(" | ", DescriptorKnobs.Members((GatherOptions)value).Select(o => "GatherOptions." + o)),
            _ => value.ToString(CultureInfo.InvariantCulture),
        };
    }
}
