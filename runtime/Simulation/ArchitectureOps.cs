using System;

namespace Shootdown.Simulation
{
    /// <summary>
    /// An architecture's operations by descriptor, for tools that pick an architecture at run time. One virtual call per
    /// operation; everything under it is compiled for the architecture's own gather and fast GUP.
    /// </summary>
    public abstract class ArchitectureOps
    {
        /// <summary>Operations for <paramref name="descriptor"/>.</summary>
        protected ArchitectureOps(ArchDescriptor descriptor) =>
            Descriptor = descriptor ?? throw new ArgumentNullException(nameof(descriptor));

        /// <summary>The descriptor.</summary>
        public ArchDescriptor Descriptor { get; }

        /// <summary>A new machine of this architecture.</summary>
        public Machine CreateMachine(int cpus = 2, int frames = 4096) => new(Descriptor, cpus, frames);

        /// <summary><c>munmap</c> with this architecture's gather.</summary>
        public abstract void Munmap(Cpu cpu, Mm mm, ulong start, ulong length);

        /// <summary><c>exit_mmap</c> with this architecture's gather.</summary>
        public abstract void ExitMmap(Cpu cpu, Mm mm);

        /// <summary>
        /// The lockless half of <c>get_user_pages_fast</c> with this architecture's walker: pins up to
        /// <paramref name="pages"/>.Length pages from <paramref name="start"/> and returns how many it pinned; each holds
        /// one reference the caller must put. 0 on an architecture without <c>HAVE_GUP_FAST</c>.
        /// </summary>
        public abstract int GupFast(Cpu cpu, Mm mm, ulong start, bool write, Span<int> pages);

        /// <inheritdoc/>
        public override string ToString() => Descriptor.Name;
    }

    /// <summary>The operations of an architecture whose gather is <typeparamref name="TGather"/> and fast GUP <typeparamref name="TGup"/>.</summary>
    public sealed class ArchitectureOps<TGather, TGup> : ArchitectureOps
        where TGather : struct, IMmuGather<TGather>
        where TGup : struct, IFastGup<TGup>
    {
        /// <summary>Operations for <paramref name="descriptor"/> with <typeparamref name="TGather"/> and <typeparamref name="TGup"/>.</summary>
        public ArchitectureOps(ArchDescriptor descriptor) : base(descriptor)
        {
        }

        /// <inheritdoc/>
        public override void Munmap(Cpu cpu, Mm mm, ulong start, ulong length) => AddressSpace.Munmap<TGather>(cpu, mm, start, length);

        /// <inheritdoc/>
        public override void ExitMmap(Cpu cpu, Mm mm) => AddressSpace.ExitMmap<TGather>(cpu, mm);

        /// <inheritdoc/>
        public override int GupFast(Cpu cpu, Mm mm, ulong start, bool write, Span<int> pages) =>
            TGup.GupFast(cpu, mm, start, write, pages);
    }

    /// <summary>The operations of an architecture whose gather is <typeparamref name="TGather"/> and that has no fast GUP.</summary>
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

        /// <inheritdoc/>
        public override int GupFast(Cpu cpu, Mm mm, ulong start, bool write, Span<int> pages) =>
            NoFastGup.GupFast(cpu, mm, start, write, pages);
    }
}
