namespace Shootdown.Generator.Tests.Infrastructure
{
    /// <summary>One input file of a test compilation.</summary>
    /// <param name="Path">The file path the syntax tree carries (diagnostics and hint names point back at it).</param>
    /// <param name="Text">The C# source.</param>
    internal sealed record SourceFile(string Path, string Text);
}
