namespace Shootdown.Generator.Emit
{
    /// <summary>Fully qualified runtime names used by generated code.</summary>
    internal static class Names
    {
        public const string Sim = "global::Shootdown.Simulation.";
        public const string Cpu = Sim + "Cpu";
        public const string Mm = Sim + "Mm";
        public const string Vma = Sim + "Vma";
        public const string TableRef = Sim + "TableRef";
        public const string FrameUse = Sim + "FrameUse";
        public const string TableBatch = Sim + "TableBatch";
        public const string EventKind = Sim + "EventKind";
        public const string EventTrace = Sim + "EventTrace";
        public const string VmaFlags = Sim + "VmaFlags";
        public const string IMmuGather = Sim + "IMmuGather";

        /// <summary>
        /// On the per-page members: Linux declares them <c>static inline</c> in include/asm-generic/tlb.h, so the zap loop
        /// carries no call per page; the generated ones ask the JIT for the same.
        /// </summary>
        public const string Inline = "[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]";
    }
}
