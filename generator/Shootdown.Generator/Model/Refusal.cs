using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Shootdown.Generator.Model
{
    /// <summary>
    /// An architecture class the generator emits nothing for, kept as plain values (not a <see cref="Location"/> tied to a
    /// compilation) so the pipeline can cache it; the generator reports it as SHD116 whatever happened to the diagnostics
    /// that explain it (a <c>#pragma</c> or an <c>.editorconfig</c> severity silences those, never the refusal).
    /// </summary>
    /// <param name="ClassName">The class's name.</param>
    /// <param name="Ids">The SHD errors that refuse it, comma-separated; empty when the attributes themselves do not compile.</param>
    /// <param name="Path">The file of the class name.</param>
    /// <param name="Span">The class name's span.</param>
    /// <param name="Lines">The class name's line span.</param>
    internal sealed record Refusal(string ClassName, string Ids, string Path, TextSpan Span, LinePositionSpan Lines)
    {
        public static Refusal Of(INamedTypeSymbol type, IEnumerable<string> ids)
        {
            var location = Parsing.ArgumentLocator.ClassName(type);
            var lines = location.GetLineSpan();
            return new Refusal(type.Name, string.Join(", ", ids), lines.Path ?? "", location.SourceSpan, lines.Span);
        }

        public Location Location => Path.Length == 0 ? Location.None : Location.Create(Path, Span, Lines);

        public string Message(string? because = null) =>
            $"No code is generated for architecture class '{ClassName}' because of "
            + (because ?? (Ids.Length == 0 ? "errors in its descriptor attributes" : Ids))
            + "; its Descriptor, Ops and MmuGather do not exist until that is fixed (suppressing a diagnostic does not generate code)";
    }
}
