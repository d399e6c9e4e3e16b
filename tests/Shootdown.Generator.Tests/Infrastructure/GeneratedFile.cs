namespace Shootdown.Generator.Tests.Infrastructure
{
    /// <summary>One file the generator added.</summary>
    /// <param name="HintName">The name the generator gave it ("Ns.Class.Piece.g.cs").</param>
    /// <param name="Text">Its text exactly as generated.</param>
    internal sealed record GeneratedFile(string HintName, string Text);
}
