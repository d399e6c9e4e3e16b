using System;
using Shootdown.Kernel;
using Shootdown.Reference;
using Shootdown.Simulation;

namespace Shootdown.Runtime.Tests.Differential
{
    /// <summary>
    /// Every kernel operation that runs a gather or a fast GUP, for one gather and fast GUP picked at run time: the
    /// generic kernel code is instantiated once per pair, then called through this interface without reflection.
    /// </summary>
    internal interface IKernelOps
    {
        /// <summary><c>munmap</c>.</summary>
        void Munmap(Cpu cpu, Mm mm, ulong start, ulong length);

        /// <summary><c>exit_mmap</c> with <c>pgd_free</c>.</summary>
        void ExitMmap(Cpu cpu, Mm mm);

        /// <summary><c>madvise(MADV_DONTNEED)</c>.</summary>
        int DontNeed(Cpu cpu, Mm mm, ulong start, ulong length);

        /// <summary><c>shift_arg_pages</c>.</summary>
        void ShiftArgPages(Cpu cpu, Mm mm, Vma stack, ulong shift);

        /// <summary><c>get_user_pages_fast</c>: the lockless walk, then the slow path for the rest.</summary>
        int GetUserPagesFast(Cpu cpu, Mm mm, ulong start, int nrPages, bool write, Span<int> pages);

        /// <summary>The lockless walk alone (no mmap lock, so safe on a CPU racing the one that holds it).</summary>
        int GupFast(Cpu cpu, Mm mm, ulong start, bool write, Span<int> pages);
    }

    /// <summary>Instantiates <see cref="KernelOps{TGather, TGup}"/>.</summary>
    internal static class KernelOps
    {
        /// <summary>The reference: <see cref="ReferenceGather"/> and <see cref="ReferenceFastGup"/>.</summary>
        public static readonly IKernelOps Reference = new KernelOps<ReferenceGather, ReferenceFastGup>();

        /// <summary>Operations over <paramref name="gather"/> and <paramref name="gup"/>, which must implement the gather and fast GUP interfaces.</summary>
        public static IKernelOps For(Type gather, Type gup) =>
            (IKernelOps)Activator.CreateInstance(typeof(KernelOps<,>).MakeGenericType(gather, gup))!;
    }

    /// <summary>The kernel operations compiled for <typeparamref name="TGather"/> and <typeparamref name="TGup"/>.</summary>
    internal sealed class KernelOps<TGather, TGup> : IKernelOps
        where TGather : struct, IMmuGather<TGather>
        where TGup : struct, IFastGup<TGup>
    {
        public void Munmap(Cpu cpu, Mm mm, ulong start, ulong length) => AddressSpace.Munmap<TGather>(cpu, mm, start, length);

        public void ExitMmap(Cpu cpu, Mm mm) => AddressSpace.ExitMmap<TGather>(cpu, mm);

        public int DontNeed(Cpu cpu, Mm mm, ulong start, ulong length) => Madvise.DontNeed<TGather>(cpu, mm, start, length);

        public void ShiftArgPages(Cpu cpu, Mm mm, Vma stack, ulong shift) => Exec.ShiftArgPages<TGather>(cpu, mm, stack, shift);

        public int GetUserPagesFast(Cpu cpu, Mm mm, ulong start, int nrPages, bool write, Span<int> pages) =>
            Gup.GetUserPagesFast<TGup>(cpu, mm, start, nrPages, write, pages);

        public int GupFast(Cpu cpu, Mm mm, ulong start, bool write, Span<int> pages) => TGup.GupFast(cpu, mm, start, write, pages);

        public override string ToString() => typeof(TGather).FullName + ", " + typeof(TGup).FullName;
    }
}
