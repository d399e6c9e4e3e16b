using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using Shootdown.Kernel;
using Shootdown.Reference;
using Shootdown.Simulation;
using static Shootdown.Runtime.Tests.Reference.TestMachines;

namespace Shootdown.Runtime.Tests.Kernel
{
    /// <summary>
    /// Real threads, one per CPU, mixing mmap, faults, munmap, MADV_DONTNEED, khugepaged collapse, fast GUP (also on
    /// other threads' ranges while they unmap), and fork/exec/exit with kernel entries added meanwhile. Each thread passes
    /// an RCU quiescent state between operations, as a CPU does with interrupts on.
    /// </summary>
    /// <remarks>
    /// Hardware accesses (<c>Mmu.Access</c>) are left out: on the current machine an IPI or broadcast flush runs on the
    /// initiator's thread without waiting for the target CPU to finish a walk in progress, so a walk could insert a TLB
    /// entry after the flush and be reported as stale although real hardware cannot do that. For the same reason khugepaged
    /// runs with <see cref="CollapseTableFree.Defer"/> only: <see cref="CollapseTableFree.SyncThenFree"/> relies on
    /// <c>tlb_remove_table_sync_one</c>'s IPI waiting for interrupts-off walkers, which the current machine does not do
    /// (it was seen to let fast GUP read a freed PTE table here).
    /// </remarks>
    public sealed class StressTests
    {
        private const int Workers = 3;

        [Theory]
        [InlineData("x86")]
        [InlineData("arm64")]
        public void Mixed_operations_on_real_threads_end_with_no_violation_and_every_page_accounted_for(string arch)
        {
            var d = arch == "x86" ? X86Like() : Arm64Like();
            var m = new Machine(d, Workers + 1, 32768);
            var baseline = m.Memory.InUse;
            var mm = m.CreateMm() ?? throw new InvalidOperationException("no PGD");
            foreach (var cpu in m.Cpus) cpu.SwitchTo(mm);
            var kernel = new KernelSpace(m, PgdSyncDesign.LocklessPublishThenCopy);
            var kernelTables = 0;
            var pmd = m.Geometry.EntrySize(1);
            var deadline = Stopwatch.StartNew();
            var errors = new List<Exception>();
            var ops = new int[Workers + 1];

            void Worker(int id)
            {
                var cpu = m.Cpu(id);
                var rng = new Random(id * 7919 + arch.Length);
                var mine = Base + (ulong)id * 16 * pmd;
                var pages = new int[64];
                try
                {
                    while (deadline.ElapsedMilliseconds < 2000)
                    {
                        var vma = mm.FindVma(mine);
                        switch (rng.Next(8))
                        {
                            case 0 when vma is null:
                                AddressSpace.Mmap(m, mm, mine, 2 * pmd, rng.Next(4) == 0 ? VmaFlags.Write | VmaFlags.Huge : VmaFlags.Write);
                                break;
                            case 1 when vma is not null:
                                var step = (vma.Flags & VmaFlags.Huge) != 0 ? pmd : (ulong)m.Geometry.PageSize;
                                for (var i = 0; i < 16; i++) AddressSpace.Fault(cpu, mm, mine + (ulong)rng.Next((int)(2 * pmd / step)) * step);
                                break;
                            case 2 when vma is not null:
                                AddressSpace.Munmap<ReferenceGather>(cpu, mm, mine, 2 * pmd);
                                break;
                            case 3:
                                Madvise.DontNeed<ReferenceGather>(cpu, mm, mine + (ulong)rng.Next(2) * pmd, pmd);
                                break;
                            case 4:
                                Khugepaged.CollapseHugePage(cpu, mm, mine + (ulong)rng.Next(2) * pmd, CollapseTableFree.Defer);
                                break;
                            default:
                                // Somebody's range, maybe being unmapped right now.
                                var target = Base + (ulong)rng.Next(Workers) * 16 * pmd + (ulong)rng.Next(512) * (ulong)m.Geometry.PageSize;
                                var n = rng.Next(1, pages.Length);
                                var got = rng.Next(3) == 0
                                    ? Gup.GetUserPagesFast<ReferenceFastGup>(cpu, mm, target, n, rng.Next(2) == 0, pages)
                                    : ReferenceFastGup.GupFast(cpu, mm, target, false, pages.AsSpan(0, n));
                                for (var i = 0; i < got; i++) m.Memory.Put(pages[i], cpu.Id); // unpin_user_pages
                                break;
                        }
                        Interlocked.Increment(ref ops[id]);
                        m.Rcu.QuiescentState(cpu);
                    }
                }
                catch (Exception e)
                {
                    lock (errors) errors.Add(e);
                }
            }

            void Processes()
            {
                var cpu = m.Cpu(Workers);
                var rng = new Random(42);
                try
                {
                    var init = kernel.Spawn(cpu);
                    AddressSpace.Mmap(m, init.Mm!, Base, 64UL << 10, VmaFlags.Write);
                    while (deadline.ElapsedMilliseconds < 2000)
                    {
                        var child = kernel.Fork(cpu, init, step =>
                        {
                            if (step == ForkStep.Published && kernelTables < 32 && rng.Next(8) == 0 && kernel.AddKernelEntry(cpu, kernel.KernelFirstIndex + kernelTables))
                                kernelTables++;
                        });
                        if (child is not null)
                        {
                            AddressSpace.Populate(cpu, child.Mm!, Base, Base + (16UL << 10));
                            kernel.Exec<ReferenceGather>(cpu, child);
                            kernel.Exit<ReferenceGather>(cpu, child);
                        }
                        Interlocked.Increment(ref ops[Workers]);
                        m.Rcu.QuiescentState(cpu);
                    }
                    kernel.Exit<ReferenceGather>(cpu, init);
                }
                catch (Exception e)
                {
                    lock (errors) errors.Add(e);
                }
            }

            var threads = new List<Thread>();
            for (var i = 0; i < Workers; i++)
            {
                var id = i;
                threads.Add(new Thread(() => Worker(id)));
            }
            threads.Add(new Thread(Processes));
            foreach (var t in threads) t.Start();
            foreach (var t in threads) t.Join();

            Assert.True(errors.Count == 0, string.Join("\n", errors));
            Assert.True(m.Violations.IsEmpty, string.Join("\n", m.Violations.All));
            Assert.All(ops, n => Assert.True(n > 10, $"a thread did only {n} operations"));
            Assert.Empty(kernel.MissingKernelEntries());
            AddressSpace.ExitMmap<ReferenceGather>(m.Cpu(0), mm);
            for (var i = 0; i < 4 && !m.Rcu.Quiesce(); i++) { }
            Assert.Equal(0, m.Rcu.Pending);
            Assert.True(m.Violations.IsEmpty, string.Join("\n", m.Violations.All));
            // Left in use: swapper_pg_dir and the kernel tables added during the run.
            Assert.Equal(baseline + 1 + kernelTables, m.Memory.InUse);
        }
    }
}
