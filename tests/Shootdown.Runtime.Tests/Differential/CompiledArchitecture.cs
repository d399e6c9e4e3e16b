using System;
using Shootdown.Simulation;

namespace Shootdown.Runtime.Tests.Differential
{
    /// <summary>
    /// An architecture whose generated code is available for a differential run: its descriptor as the generated
    /// <c>Descriptor</c> property holds it, and the generated gather and fast GUP behind a <see cref="IKernelOps"/>.
    /// </summary>
    /// <param name="Descriptor">The descriptor the generated code was specialized for.</param>
    /// <param name="Generated">The operations instantiated over the generated <c>MmuGather</c> and <c>FastGup</c>.</param>
    /// <param name="Ops">The generated <c>Ops</c> property itself, for the race explorer.</param>
    internal sealed record CompiledArchitecture(ArchDescriptor Descriptor, IKernelOps Generated, ArchitectureOps Ops)
    {
        /// <summary>The architecture of a generated <see cref="ArchitectureOps"/> (catalog or compiled at test time).</summary>
        public static CompiledArchitecture Of(ArchitectureOps ops)
        {
            ArgumentNullException.ThrowIfNull(ops);
            var arguments = ops.GetType().GetGenericArguments();
            var gather = arguments.Length > 0 ? arguments[0] : throw new ArgumentException($"{ops} is not a generated ArchitectureOps", nameof(ops));
            var gup = arguments.Length > 1 ? arguments[1] : typeof(NoFastGup);
            return new CompiledArchitecture(ops.Descriptor, KernelOps.For(gather, gup), ops);
        }

        /// <inheritdoc/>
        public override string ToString() => Descriptor.Name + " (" + Descriptor.Summary() + ")";
    }
}
