using System.Collections.Generic;
using Shootdown.Generator.Model;

namespace Shootdown.Generator.Emit
{
    /// <summary>
    /// Emits <c>GeneratedSources</c>: the text of every other generated piece, keyed by piece name, so a tool can show
    /// the code specialized for an architecture at run time. The texts are the emitters' own output, so they are exactly
    /// what was compiled. Only emitted when the build asks for it (<c>ShootdownEmbedGeneratedSources</c>).
    /// </summary>
    internal static class SourcesEmitter
    {
        /// <summary>The build property (made compiler-visible) that turns the piece on.</summary>
        public const string BuildProperty = "build_property.ShootdownEmbedGeneratedSources";

        public static string Emit(ArchitectureModel model, IReadOnlyList<KeyValuePair<string, string>> pieces)
        {
            var w = PartialFrame.Open(model);
            w.Line("/// <summary>The generated source of each piece of " + DescriptorEmitter.Xml(model.Descriptor.Name) + ", in generation order.</summary>");
            w.Line(PartialFrame.GeneratedCode);
            w.Line("internal static global::System.Collections.Generic.IReadOnlyList<global::System.Collections.Generic.KeyValuePair<string, string>> GeneratedSources { get; } = new global::System.Collections.Generic.KeyValuePair<string, string>[]");
            w.Line("{");
            foreach (var piece in pieces)
            {
                w.Line("    new global::System.Collections.Generic.KeyValuePair<string, string>(" + DescriptorEmitter.Literal(piece.Key) + ", " + DescriptorEmitter.Literal(piece.Value) + "),");
            }
            w.Line("};");
            return PartialFrame.Close(model, w);
        }
    }
}
