using Shootdown.Generator.Model;

namespace Shootdown.Generator.Emit
{
    /// <summary>Emits the <c>Descriptor</c> property: the descriptor as a value, for the reference, the tool and the explorer.</summary>
    internal static class DescriptorEmitter
    {
        public static string Emit(ArchitectureModel model)
        {
            var d = model.Descriptor;
            var w = PartialFrame.Open(model);
            w.Line("/// <summary>The descriptor of " + Xml(d.Name) + ": " + Xml(d.Summary()) + ".</summary>");
            w.Line(PartialFrame.GeneratedCode);
            w.Line("public static global::Shootdown.ArchDescriptor Descriptor { get; } = new global::Shootdown.ArchDescriptor(");
            w.Line("    Name: " + Literal(d.Name) + ",");
            var positional = new System.Collections.Generic.List<DescriptorKnob>();
            var extras = new System.Collections.Generic.List<string>();
            foreach (var knob in DescriptorKnobs.All)
            {
                if (knob.Positional) positional.Add(knob);
                else if (knob.Get(d) != knob.Default) extras.Add(knob.Name + " = " + Value(knob, knob.Get(d)));
            }
            for (var i = 0; i < positional.Count; i++)
            {
                var knob = positional[i];
                var last = i == positional.Count - 1;
                w.Line("    " + knob.Name + ": " + Value(knob, knob.Get(d)) + (!last ? "," : ")" + (extras.Count == 0 ? ";" : "")));
            }
            if (extras.Count != 0) w.Line("{ " + string.Join(", ", extras) + " };");
            w.Line();
            var gup = d.FastGup ? "FastGup" : "global::Shootdown.Simulation.NoFastGup";
            w.Line("/// <summary>The operations of " + Xml(d.Name) + " with its generated gather and " + (d.FastGup ? "fast GUP" : "no fast GUP (no " + EraNames.FastGupConfig(d.Linux) + ")") + ", for tools that choose an architecture at run time.</summary>");
            w.Line(PartialFrame.GeneratedCode);
            w.Line("public static global::Shootdown.Simulation.ArchitectureOps Ops { get; } = new global::Shootdown.Simulation.ArchitectureOps<MmuGather, " + gup + ">(Descriptor);");
            return PartialFrame.Close(model, w);
        }

        // A knob's value as C#: true/false, a number, or the fully qualified enum member(s).
        private static string Value(DescriptorKnob knob, int value) => knob.Kind switch
        {
            KnobKind.Bool => value != 0 ? "true" : "false",
            KnobKind.Enum => "global::Shootdown." + knob.EnumType!.Name + "." + DescriptorKnobs.EnumName(knob, value),
            KnobKind.Flags => Options((GatherOptions)value),
            _ => value.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };

        private static string Options(GatherOptions options)
        {
            if (options == GatherOptions.None) return "global::Shootdown.GatherOptions.None";
            var parts = new System.Collections.Generic.List<string>();
            foreach (var option in DescriptorKnobs.Members(options)) parts.Add("global::Shootdown.GatherOptions." + option);
            return string.Join(" | ", parts);
        }

        internal static string Literal(string value) =>
            Microsoft.CodeAnalysis.CSharp.SymbolDisplay.FormatLiteral(value, quote: true);

        internal static string Xml(string value) =>
            value.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
    }
}
