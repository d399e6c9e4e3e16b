using System.Collections.Immutable;
using System.IO;
using Microsoft.CodeAnalysis;

namespace Shootdown.Generator.Tests.Infrastructure
{
    /// <summary>A compilation emitted in memory: its diagnostics and, when it succeeded, the assembly image.</summary>
    internal sealed record EmitOutcome(bool Success, ImmutableArray<Diagnostic> Diagnostics, byte[] Image)
    {
        public static EmitOutcome Of(Compilation compilation)
        {
            using var image = new MemoryStream();
            // A documentation stream makes the compiler produce the XML docs, and with them every doc-comment diagnostic.
            using var docs = new MemoryStream();
            var result = compilation.Emit(image, xmlDocumentationStream: docs);
            return new EmitOutcome(result.Success, result.Diagnostics, image.ToArray());
        }
    }
}
