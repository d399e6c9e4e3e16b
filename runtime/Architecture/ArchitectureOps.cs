using System;
using Shootdown.Kernel;
using Shootdown.Reference;

namespace Shootdown.Simulation
{
    /// <summary>
    /// The teardown code of an architecture: its <c>struct mmu_gather</c> and its fast GUP, behind one virtual call per
    /// operation. The generator gives every architecture class an <c>Ops</c> of this type; <see cref="Reference"/> is the
    /// executable spec, which branches on the machine's descriptor at run time. Tools, scenarios and the explorer drive
    /// kernel operations through it, so the same race runs on generated code and on the reference.
    /// </summary>
    public abstract class ArchitectureOps
    {
        private readonly ArchDescriptor? _descriptor;

        /// <summary>Operations called <paramref name="name"/>, generated for <paramref name="descriptor"/> (null: the reference).</summary>
        protected ArchitectureOps(string name, ArchDescriptor? descriptor)
        {
            Name = name ?? throw new ArgumentNullException(nameof(name));
            _descriptor = descriptor;
        }

        /// <summary>The architecture's name, or "reference".</summary>
        public string Name { get; }

        /// <summary>True for an architecture's generated gather and fast GUP; false for the reference.</summary>
        public bool IsGenerated => _descriptor != null;

        /// <summary>
        /// The descriptor the code was generated for. The reference has none of its own (it follows whatever machine it
        /// runs on), so asking it throws.
        /// </summary>
        public ArchDescriptor Descriptor =>
            _descriptor ?? throw new InvalidOperationException("the reference has no descriptor of its own: it follows the machine it runs on");

        /// <summary>A new machine of this architecture.</summary>
        public Machine CreateMachine(int cpus = 2, int frames = 4096) => new(Descriptor, cpus, frames);

        /// <summary><c>munmap</c> with this gather.</summary>
        public abstract void Munmap(Cpu cpu, Mm mm, ulong start, ulong length);

        /// <summary><c>madvise(MADV_DONTNEED)</c> with this gather.</summary>
        public abstract int DontNeed(Cpu cpu, Mm mm, ulong start, ulong length);

        /// <summary><c>madvise(MADV_FREE)</c> with this gather.</summary>
        public abstract int Free(Cpu cpu, Mm mm, ulong start, ulong length);

        /// <summary><c>mprotect</c> of whole VMAs to <paramref name="prot"/> (write, exec) with this gather.</summary>
        public abstract int Mprotect(Cpu cpu, Mm mm, ulong start, ulong length, VmaFlags prot);

        /// <summary><c>mremap</c> of a whole VMA to <paramref name="newStart"/>, the old range unmapped with this gather.</summary>
        public abstract int Mremap(Cpu cpu, Mm mm, ulong oldStart, ulong length, ulong newStart);

        /// <summary><c>shift_arg_pages</c> with this gather.</summary>
        public abstract void ShiftArgPages(Cpu cpu, Mm mm, Vma stack, ulong shift);

        /// <summary><c>exit_mmap</c> with this gather, then <c>pgd_free</c>.</summary>
        public abstract void ExitMmap(Cpu cpu, Mm mm);

        /// <summary><c>exit_mmap</c> below <paramref name="ceiling"/> with this gather (kernel PGD entries stay).</summary>
        public abstract void ExitMmap(Cpu cpu, Mm mm, ulong ceiling);

        /// <summary>
        /// The lockless half of <c>get_user_pages_fast</c>: pins up to <paramref name="pages"/>.Length pages from
        /// <paramref name="start"/> and returns how many it pinned; each holds one reference the caller must put. 0 on an
        /// architecture without <c>HAVE_GUP_FAST</c>.
        /// </summary>
        public abstract int GupFast(Cpu cpu, Mm mm, ulong start, bool write, Span<int> pages);

        /// <summary>The reference gather and fast GUP (runtime/Reference).</summary>
        public static ArchitectureOps Reference { get; } = new ArchitectureOps<ReferenceGather, ReferenceFastGup>("reference", null);

        /// <summary>
        /// Bugs the machine of every execution of these operations gets (<see cref="Machine.Faults"/>): none but for
        /// <see cref="WithFaults"/>, the mutation suite's reference.
        /// </summary>
        internal Fault Faults { get; private init; }

        /// <summary>The reference with <paramref name="faults"/> put back (docs/mutation.md).</summary>
        internal static ArchitectureOps WithFaults(Fault faults) =>
            faults == Fault.None ? Reference : new ArchitectureOps<ReferenceGather, ReferenceFastGup>("reference", null) { Faults = faults };

        /// <inheritdoc/>
        public override string ToString() => IsGenerated ? Name + " (generated)" : Faults == Fault.None ? Name : $"{Name} with fault {Faults}";
    }

    /// <summary>The operations of an architecture whose gather is <typeparamref name="TGather"/> and fast GUP <typeparamref name="TGup"/>.</summary>
    /// <typeparam name="TGather">The <c>struct mmu_gather</c> implementation.</typeparam>
    /// <typeparam name="TGup">The fast GUP implementation (<see cref="NoFastGup"/> without <c>HAVE_GUP_FAST</c>).</typeparam>
    public sealed class ArchitectureOps<TGather, TGup> : ArchitectureOps
        where TGather : struct, IMmuGather<TGather>
        where TGup : struct, IFastGup<TGup>
    {
        /// <summary>The generated operations of <paramref name="descriptor"/>.</summary>
        public ArchitectureOps(ArchDescriptor descriptor)
            : base((descriptor ?? throw new ArgumentNullException(nameof(descriptor))).Name, descriptor)
        {
        }

        internal ArchitectureOps(string name, ArchDescriptor? descriptor) : base(name, descriptor)
        {
        }

        /// <inheritdoc/>
        public override void Munmap(Cpu cpu, Mm mm, ulong start, ulong length) => AddressSpace.Munmap<TGather>(cpu, mm, start, length);

        /// <inheritdoc/>
        public override int DontNeed(Cpu cpu, Mm mm, ulong start, ulong length) => Madvise.DontNeed<TGather>(cpu, mm, start, length);

        /// <inheritdoc/>
        public override int Free(Cpu cpu, Mm mm, ulong start, ulong length) => Madvise.Free<TGather>(cpu, mm, start, length);

        /// <inheritdoc/>
        public override int Mprotect(Cpu cpu, Mm mm, ulong start, ulong length, VmaFlags prot) => AddressSpace.Mprotect<TGather>(cpu, mm, start, length, prot);

        /// <inheritdoc/>
        public override int Mremap(Cpu cpu, Mm mm, ulong oldStart, ulong length, ulong newStart) => AddressSpace.Mremap<TGather>(cpu, mm, oldStart, length, newStart);

        /// <inheritdoc/>
        public override void ShiftArgPages(Cpu cpu, Mm mm, Vma stack, ulong shift) => Exec.ShiftArgPages<TGather>(cpu, mm, stack, shift);

        /// <inheritdoc/>
        public override void ExitMmap(Cpu cpu, Mm mm) => AddressSpace.ExitMmap<TGather>(cpu, mm);

        /// <inheritdoc/>
        public override void ExitMmap(Cpu cpu, Mm mm, ulong ceiling) => AddressSpace.ExitMmap<TGather>(cpu, mm, ceiling);

        /// <inheritdoc/>
        public override int GupFast(Cpu cpu, Mm mm, ulong start, bool write, Span<int> pages)
        {
            ArgumentNullException.ThrowIfNull(cpu);
            cpu.Machine.GupAudit.Enter(cpu, mm, start, pages.Length);
            var n = TGup.GupFast(cpu, mm, start, write, pages);
            cpu.Machine.GupAudit.Return(cpu, pages[..n]); // what any caller of gup_fast may rely on
            return n;
        }
    }
}
