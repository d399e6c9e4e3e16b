namespace Shootdown.Generator
{
    /// <summary>Identity stamped on generated code.</summary>
    internal static class GeneratorInfo
    {
        public const string Version = "0.1.0";
    }
}
