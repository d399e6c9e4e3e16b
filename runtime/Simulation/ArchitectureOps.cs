namespace Shootdown.Simulation
{
    /// <summary>
    /// An architecture's operations by descriptor, for tools that pick an architecture at run time. One virtual call per
    /// operation; everything under it is compiled for the architecture's own gather.
    /// </summary>
    public abstract class ArchitectureOps
    {
        /// <summary>Operations for <paramref name="descriptor"/>.</summary>
        protected ArchitectureOps(ArchDescriptor descriptor) => Descriptor = descriptor;

        /// <summary>The descriptor.</summary>
        public ArchDescriptor Descriptor { get; }

        /// <summary>A new machine of this architecture.</summary>
        public Machine CreateMachine(int cpus = 2, int frames = 4096) => new(Descriptor, cpus, frames);

        /// <summary><c>munmap</c> with this architecture's gather.</summary>
        public abstract void Munmap(Cpu cpu, Mm mm, ulong start, ulong length);

        /// <summary><c>exit_mmap</c> with this architecture's gather.</summary>
        public abstract void ExitMmap(Cpu cpu, Mm mm);

        /// <inheritdoc/>
        public override string ToString() => Descriptor.Name;
    }

    /// <summary>The operations of an architecture whose gather is <typeparamref name="TGather"/>.</summary>
    public sealed class ArchitectureOps<TGather> : ArchitectureOps where TGather : struct, IMmuGather<TGather>
    {
        /// <summary>Operations for <paramref name="descriptor"/> with gather <typeparamref name="TGather"/>.</summary>
        public ArchitectureOps(ArchDescriptor descriptor) : base(descriptor)
        {
        }

        /// <inheritdoc/>
        public override void Munmap(Cpu cpu, Mm mm, ulong start, ulong length) => AddressSpace.Munmap<TGather>(cpu, mm, start, length);

        /// <inheritdoc/>
        public override void ExitMmap(Cpu cpu, Mm mm) => AddressSpace.ExitMmap<TGather>(cpu, mm);
    }
}
