using System;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using Shootdown.Kernel;
using Shootdown.Reference;
using Shootdown.Runtime.Tests.Generated;
using Shootdown.Simulation;

namespace Shootdown.Runtime.Tests.Kernel
{
    /// <summary>
    /// Free-running real threads, one per CPU, on every catalog architecture: mmap, faults, munmap (the architecture's
    /// generated gather and the reference), MADV_DONTNEED, khugepaged collapse (both <c>tlb_remove_table_sync_one</c> +
    /// free and <c>pte_free_defer</c>), fast GUP (the generated walker and <c>get_user_pages_fast</c>) on other CPUs'
    /// ranges while they unmap, hardware accesses and speculative walks, and fork/exec/exit with kernel entries added
    /// meanwhile. Flushes wait for walks in progress and IPIs wait for interrupts-off walkers, so any violation is real.
    /// </summary>
    public sealed class StressTests
    {
        private const int Workers = 3;
        private static readonly TimeSpan Duration = TimeSpan.FromSeconds(1);
        // Every CPU does at least this many operations even when the machine is so loaded that its thread gets no time
        // within Duration: the run is about the mix, not the wall clock.
        private const int MinimumOperations = 6;

        [Theory]
        [MemberData(nameof(CatalogArchitectures.All), MemberType = typeof(CatalogArchitectures))]
        public void Mixed_operations_on_real_threads_end_with_no_violation_and_every_page_accounted_for(string name)
        {
            var arch = CatalogArchitectures.Get(name);
            var m = arch.CreateMachine(cpus: Workers + 1, frames: 16384);
            var baseline = m.Memory.InUse;
            var mm = m.CreateMm() ?? throw new InvalidOperationException("no PGD");
            for (var i = 0; i < Workers; i++) m.Cpu(i).SwitchTo(mm);
            var kernel = new KernelSpace(m, PgdSyncDesign.LocklessPublishThenCopy);
            var kernelTables = 0;
            var pmd = m.Geometry.EntrySize(1);
            var page = (ulong)m.Geometry.PageSize;
            // Sixteen PMD spans a worker, each mapping two; where that passes the top of user space, an equal share of
            // what lies above the first PMD boundary (powerpc-44x-256k: 2 GiB spans in a 32-bit space, so the workers
            // share one PTE table and map no huge pages).
            var region = Math.Min(16 * pmd, (m.Geometry.TaskSize - pmd) / Workers / page * page);
            var length = Math.Min(2 * pmd, region);
            var half = length / 2 / page * page;
            var aligned = length == 2 * pmd;
            var first = CatalogArchitectures.PmdAlignedStart(m, Workers * region, pmds: 16);
            var clock = Stopwatch.StartNew();
            var ops = new int[Workers + 1];
            var accesses = new int[Workers];

            void Worker(Cpu cpu)
            {
                var id = cpu.Id;
                var rng = new Random(id * 7919 + name.Length);
                var mine = first + (ulong)id * region;
                var pages = new int[64];
                while (clock.Elapsed < Duration || ops[id] < MinimumOperations)
                {
                    var vma = mm.FindVma(mine);
                    switch (rng.Next(10))
                    {
                        case 0 when vma is null:
                            AddressSpace.Mmap(cpu, mm, mine, length, rng.Next(4) == 0 && aligned ? VmaFlags.Write | VmaFlags.Huge : VmaFlags.Write);
                            break;
                        case 1 when vma is not null:
                            var step = (vma.Flags & VmaFlags.Huge) != 0 ? pmd : page;
                            for (var i = 0; i < 16; i++) AddressSpace.Fault(cpu, mm, mine + (ulong)rng.Next((int)(length / step)) * step);
                            break;
                        case 2 when vma is not null:
                            if (rng.Next(2) == 0) arch.Munmap(cpu, mm, mine, length);
                            else AddressSpace.Munmap<ReferenceGather>(cpu, mm, mine, length);
                            break;
                        case 3:
                            Madvise.DontNeed<ReferenceGather>(cpu, mm, mine + (ulong)rng.Next(2) * half, half);
                            break;
                        case 4 when aligned: // collapse_huge_page takes a whole PMD-aligned span
                            Khugepaged.CollapseHugePage(cpu, mm, mine + (ulong)rng.Next(2) * pmd,
                                rng.Next(2) == 0 ? CollapseTableFree.SyncThenFree : CollapseTableFree.Defer);
                            break;
                        case 5:
                        case 6:
                            // The hardware: touch and prefetch anybody's range, maybe being unmapped right now.
                            for (var i = 0; i < 32; i++)
                            {
                                var a = first + (ulong)rng.Next(Workers) * region + (ulong)rng.Next((int)(length / page)) * page;
                                if (rng.Next(4) == 0) m.Mmu.SpeculativeWalk(cpu, mm, a);
                                else m.Mmu.Access(cpu, mm, a);
                                accesses[id]++;
                            }
                            break;
                        default:
                            // Fast GUP on somebody's range, maybe being unmapped right now.
                            var target = first + (ulong)rng.Next(Workers) * region + (ulong)rng.Next(512) * page;
                            var n = rng.Next(1, pages.Length);
                            var got = rng.Next(3) == 0
                                ? Gup.GetUserPagesFast<ReferenceFastGup>(cpu, mm, target, n, rng.Next(2) == 0, pages)
                                : arch.GupFast(cpu, mm, target, false, pages.AsSpan(0, n));
                            for (var i = 0; i < got; i++) m.Memory.Put(pages[i], cpu.Id); // unpin_user_pages
                            break;
                    }
                    Interlocked.Increment(ref ops[id]);
                }
            }

            void Processes(Cpu cpu)
            {
                var rng = new Random(42);
                var init = kernel.Spawn(cpu);
                var kernelEntries = System.Math.Min(32, m.Geometry.Entries(m.Geometry.Levels - 1) - kernel.KernelFirstIndex);
                // Below the kernel half of the PGD: its first entry on powerpc-44x-256k, where the workers' are above it.
                var user = Math.Min(first, kernel.UserCeiling - 16 * page);
                AddressSpace.Mmap(cpu, init.Mm!, user, 16 * page, VmaFlags.Write);
                while (clock.Elapsed < Duration || ops[Workers] < MinimumOperations)
                {
                    var child = kernel.Fork(cpu, init, step =>
                    {
                        // As many kernel PGD entries as there are, at most 32 (x86 PAE has 2 of its 4).
                        if (step == ForkStep.Published && kernelTables < kernelEntries && rng.Next(8) == 0 && kernel.AddKernelEntry(cpu, kernel.KernelFirstIndex + kernelTables))
                            kernelTables++;
                    });
                    if (child is not null)
                    {
                        AddressSpace.Populate(cpu, child.Mm!, user, user + 4 * page);
                        kernel.Exec<ReferenceGather>(cpu, child);
                        kernel.Exit<ReferenceGather>(cpu, child);
                    }
                    Interlocked.Increment(ref ops[Workers]);
                }
                kernel.Exit<ReferenceGather>(cpu, init);
            }

            var scenario = new Scenario().On(Workers, Processes);
            for (var i = 0; i < Workers; i++) scenario.On(i, Worker);
            var result = m.RunFreely(scenario, TimeSpan.FromSeconds(60));

            Assert.True(result.Outcome == RunOutcome.Completed, $"{name}: {result.Outcome} {result.Message} " + string.Join("\n", result.Errors));
            Assert.True(m.Violations.IsEmpty, $"{name}: " + string.Join("\n", m.Violations.All.Take(5)));
            Assert.All(ops, n => Assert.True(n >= MinimumOperations, $"{name}: a CPU did only {n} operations"));
            Assert.True(accesses.Sum() > 0, $"{name}: no hardware access happened");
            Assert.Empty(kernel.MissingKernelEntries());
            AddressSpace.ExitMmap<ReferenceGather>(m.Cpu(0), mm);
            Assert.True(m.Rcu.Quiesce(), $"{name}: RCU callbacks left");
            Assert.Empty(FrameAccounting.Unaccounted(m, Array.Empty<Mm>(), KernelFrames(m, kernel)));
            Assert.True(m.Violations.IsEmpty, $"{name}: " + string.Join("\n", m.Violations.All.Take(5)));
            // Left in use: swapper_pg_dir and the kernel tables added during the run (four frames each on s390).
            var g = m.Geometry;
            Assert.Equal(baseline + g.TableFrames(g.Levels - 1) + kernelTables * g.TableFrames(g.Levels - 2), m.Memory.InUse);
            Assert.Null(m.Memory.CheckFreeList());
        }

        // swapper_pg_dir and the kernel tables its entries point at: the only frames no mm owns at the end.
        private static int[] KernelFrames(Machine m, KernelSpace kernel)
        {
            var top = m.Geometry.Levels - 1;
            var frames = new System.Collections.Generic.List<int> { kernel.ReferencePgd.Pfn };
            for (var i = kernel.KernelFirstIndex; i < m.Geometry.Entries(top); i++)
            {
                var entry = PageTables.Read(m, kernel.ReferencePgd, top, i);
                if (Entry.IsPresent(entry)) frames.Add(PageTables.Pfn(m, entry));
            }
            return frames.ToArray();
        }
    }
}
