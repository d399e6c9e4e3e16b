using System;
using Shootdown.Kernel;
using Shootdown.Reference;
using Shootdown.Simulation;

namespace Shootdown.Explorer
{
    /// <summary>
    /// The teardown code under test: a gather and a fast GUP. Scenarios drive kernel operations through it so the same
    /// race runs on the reference (which branches on the descriptor, unsafe descriptors included) and on an architecture's
    /// generated code.
    /// </summary>
    public abstract class RaceSubject
    {
        /// <summary>"reference", or the architecture whose generated code this is.</summary>
        public abstract string Name { get; }

        /// <summary>True for an architecture's generated gather and fast GUP.</summary>
        public abstract bool IsGenerated { get; }

        /// <summary><c>munmap</c> with this gather.</summary>
        public abstract void Munmap(Cpu cpu, Mm mm, ulong start, ulong length);

        /// <summary><c>madvise(MADV_DONTNEED)</c> with this gather.</summary>
        public abstract int DontNeed(Cpu cpu, Mm mm, ulong start, ulong length);

        /// <summary><c>shift_arg_pages</c> with this gather.</summary>
        public abstract void ShiftArgPages(Cpu cpu, Mm mm, Vma stack, ulong shift);

        /// <summary><c>exit_mmap</c> below <paramref name="ceiling"/> with this gather (kernel PGD entries stay).</summary>
        public abstract void ExitMmap(Cpu cpu, Mm mm, ulong ceiling);

        /// <summary>The lockless half of <c>get_user_pages_fast</c>; each pinned page holds a reference to put.</summary>
        public abstract int GupFast(Cpu cpu, Mm mm, ulong start, bool write, Span<int> pages);

        /// <summary>The reference gather and fast GUP (runtime/Reference).</summary>
        public static RaceSubject Reference { get; } = new RaceSubject<ReferenceGather, ReferenceFastGup>("reference", generated: false);

        /// <summary>
        /// The generated gather and fast GUP behind <paramref name="ops"/> (an <c>ArchitectureOps&lt;MmuGather, FastGup&gt;</c>
        /// or <c>ArchitectureOps&lt;MmuGather&gt;</c> from a catalog).
        /// </summary>
        public static RaceSubject Generated(ArchitectureOps ops)
        {
            ArgumentNullException.ThrowIfNull(ops);
            var type = ops.GetType();
            if (!type.IsGenericType)
                throw new ArgumentException($"{type.Name} is not an ArchitectureOps<TGather> or ArchitectureOps<TGather, TGup>: the gather type cannot be found", nameof(ops));
            var args = type.GetGenericArguments();
            var gather = args[0];
            var gup = args.Length > 1 ? args[1] : typeof(NoFastGup);
            var subject = typeof(RaceSubject<,>).MakeGenericType(gather, gup);
            return (RaceSubject)Activator.CreateInstance(subject, ops.Descriptor.Name, true)!;
        }

        /// <inheritdoc/>
        public override string ToString() => IsGenerated ? Name + " (generated)" : Name;
    }

    /// <summary>A subject made of gather <typeparamref name="TGather"/> and fast GUP <typeparamref name="TGup"/>.</summary>
    /// <typeparam name="TGather">The <c>struct mmu_gather</c> implementation.</typeparam>
    /// <typeparam name="TGup">The fast GUP implementation.</typeparam>
    public sealed class RaceSubject<TGather, TGup> : RaceSubject
        where TGather : struct, IMmuGather<TGather>
        where TGup : struct, IFastGup<TGup>
    {
        private readonly bool _generated;

        /// <summary>A subject called <paramref name="name"/>.</summary>
        public RaceSubject(string name, bool generated)
        {
            Name = name ?? throw new ArgumentNullException(nameof(name));
            _generated = generated;
        }

        /// <inheritdoc/>
        public override string Name { get; }

        /// <inheritdoc/>
        public override bool IsGenerated => _generated;

        /// <inheritdoc/>
        public override void Munmap(Cpu cpu, Mm mm, ulong start, ulong length) => AddressSpace.Munmap<TGather>(cpu, mm, start, length);

        /// <inheritdoc/>
        public override int DontNeed(Cpu cpu, Mm mm, ulong start, ulong length) => Madvise.DontNeed<TGather>(cpu, mm, start, length);

        /// <inheritdoc/>
        public override void ShiftArgPages(Cpu cpu, Mm mm, Vma stack, ulong shift) => Exec.ShiftArgPages<TGather>(cpu, mm, stack, shift);

        /// <inheritdoc/>
        public override void ExitMmap(Cpu cpu, Mm mm, ulong ceiling) => AddressSpace.ExitMmap<TGather>(cpu, mm, ceiling);

        /// <inheritdoc/>
        public override int GupFast(Cpu cpu, Mm mm, ulong start, bool write, Span<int> pages) => TGup.GupFast(cpu, mm, start, write, pages);
    }
}
