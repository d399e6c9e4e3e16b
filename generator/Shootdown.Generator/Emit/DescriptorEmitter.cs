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
            w.Line("    Invalidation: global::Shootdown.Invalidation." + d.Invalidation + ",");
            w.Line("    SynchronousOnClear: " + Bool(d.SynchronousOnClear) + ",");
            w.Line("    Levels: " + d.Levels + ",");
            w.Line("    PageSize: " + d.PageSize + ",");
            w.Line("    FragmentsPerPage: " + d.FragmentsPerPage + ",");
            w.Line("    PteBits: " + d.PteBits + ",");
            w.Line("    WordBits: " + d.WordBits + ",");
            w.Line("    PteSpecial: " + Bool(d.PteSpecial) + ",");
            w.Line("    Walker: global::Shootdown.WalkerKind." + d.Walker + ",");
            w.Line("    SoftwareTlbRefill: " + Bool(d.SoftwareTlbRefill) + ",");
            w.Line("    Options: " + Options(d.Options) + ",");
            w.Line("    FastGup: " + Bool(d.FastGup) + ",");
            var extras = new System.Collections.Generic.List<string>();
            if (d.AtomicLoadBits != 0) extras.Add("AtomicLoadBits = " + d.AtomicLoadBits);
            if (d.PtrsPerPte != 0) extras.Add("PtrsPerPte = " + d.PtrsPerPte);
            if (d.PtrsPerPmd != 0) extras.Add("PtrsPerPmd = " + d.PtrsPerPmd);
            if (d.PtrsPerPud != 0) extras.Add("PtrsPerPud = " + d.PtrsPerPud);
            if (d.PtrsPerP4d != 0) extras.Add("PtrsPerP4d = " + d.PtrsPerP4d);
            if (d.PtrsPerPgd != 0) extras.Add("PtrsPerPgd = " + d.PtrsPerPgd);
            w.Line("    PteRead: global::Shootdown.PteRead." + d.PteRead + ")" + (extras.Count == 0 ? ";" : ""));
            if (extras.Count != 0) w.Line("{ " + string.Join(", ", extras) + " };");
            w.Line();
            var gup = d.FastGup ? "FastGup" : "global::Shootdown.Simulation.NoFastGup";
            w.Line("/// <summary>The operations of " + Xml(d.Name) + " with its generated gather and " + (d.FastGup ? "fast GUP" : "no fast GUP (no HAVE_GUP_FAST)") + ", for tools that choose an architecture at run time.</summary>");
            w.Line(PartialFrame.GeneratedCode);
            w.Line("public static global::Shootdown.Simulation.ArchitectureOps Ops { get; } = new global::Shootdown.Simulation.ArchitectureOps<MmuGather, " + gup + ">(Descriptor);");
            return PartialFrame.Close(model, w);
        }

        private static string Bool(bool value) => value ? "true" : "false";

        private static string Options(GatherOptions options)
        {
            if (options == GatherOptions.None) return "global::Shootdown.GatherOptions.None";
            var parts = new System.Collections.Generic.List<string>();
            foreach (var pair in GatherOptionNames.All)
            {
                if ((options & pair.Key) != 0) parts.Add("global::Shootdown.GatherOptions." + pair.Key);
            }
            return string.Join(" | ", parts);
        }

        internal static string Literal(string value) =>
            Microsoft.CodeAnalysis.CSharp.SymbolDisplay.FormatLiteral(value, quote: true);

        internal static string Xml(string value) =>
            value.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
    }
}
