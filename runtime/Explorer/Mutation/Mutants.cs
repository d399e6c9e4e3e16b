using System;
using System.Collections.Generic;
using Shootdown.Explorer.Scenarios;
using Shootdown.Kernel;
using Shootdown.Simulation;

namespace Shootdown.Explorer.Mutation
{
    /// <summary>Where a mutant comes from.</summary>
    internal enum MutantKind
    {
        /// <summary>A Linux bug: the code as it was before the commit that fixed it.</summary>
        LinuxFix,
        /// <summary>A rule of the teardown order that no single Linux commit is known here to have fixed.</summary>
        Rule,
        /// <summary>A change that breaks nothing: the explorer must not report it.</summary>
        Harmless,
    }

    /// <summary>
    /// One bug the mutation suite puts back (docs/mutation.md lists them): the fault, the Linux commit that fixed it, the
    /// descriptors it is possible on and the scenarios expected to catch it.
    /// </summary>
    /// <param name="Fault">The switch the reference and the machine honour.</param>
    /// <param name="Name">Stable name, used by <c>check --mutants</c> and the tests.</param>
    /// <param name="Commit">The Linux commit that fixed the bug (12 hex digits), or "" for a rule or a harmless change.</param>
    /// <param name="Bug">What went wrong, in Linux terms.</param>
    /// <param name="Where">Linux file and function.</param>
    /// <param name="Possible">True on a descriptor where the bug breaks the invariant.</param>
    /// <param name="Scenarios">The scenarios expected to catch it, tried first; the rest follow.</param>
    /// <param name="Kind">Linux fix, rule or harmless.</param>
    internal sealed record Mutant(Fault Fault, string Name, string Commit, string Bug, string Where,
        Func<ArchDescriptor, bool> Possible, IReadOnlyList<string> Scenarios, MutantKind Kind)
    {
        /// <summary>The reference with this bug put back.</summary>
        public ArchitectureOps Subject => ArchitectureOps.WithFaults(Fault);

        /// <inheritdoc/>
        public override string ToString() => Commit.Length > 0 ? $"{Name} ({Commit})" : Name;
    }

    /// <summary>The mutation suite: every mutant, in the order docs/mutation.md lists them.</summary>
    internal static class Mutants
    {
        private static bool Broadcast(ArchDescriptor d) => d.Invalidation == Invalidation.HardwareBroadcast;

        private static bool WalkCache(ArchDescriptor d) => d.Walker == WalkerKind.CachesUpperLevels;

        // A table-batch failure leaves a hardware walker exposed only where the table invalidate is meant to happen.
        private static bool TableOneHardware(ArchDescriptor d) =>
            d.Has(GatherOptions.TableFree) && WalkCache(d) && !d.Has(GatherOptions.NoTableInvalidate);

        // Without ARCH_HAS_PTE_SPECIAL, gup_fast_pte_range (mm/gup.c) fails before it reads a PTE, so fast GUP reads no PTE
        // at all (no split read to tear) and on two levels enters no table but the PGD, which no teardown frees while the
        // mm runs: mips32 with XPA (arch/mips/Kconfig: ARCH_HAS_PTE_SPECIAL if !(32BIT && CPU_HAS_RIXI)) is such a machine.
        // With more levels the PMD and PUD tables it walks can be freed, so the bug stays possible there.
        private static bool EntersFreeableTable(ArchDescriptor d) => d.PteSpecial || d.Levels > 2;

        /// <summary>Every mutant.</summary>
        public static IReadOnlyList<Mutant> All { get; } = new Mutant[]
        {
            new(Fault.NestedFlushIgnored, "nested-flush-ignored", "99baac21e458",
                "MADV_DONTNEED finding the PTEs already cleared by a racing gather flushes nothing and returns while the other CPU still translates through them (mm_tlb_flush_nested unused; 4647706ebeee fixed it first in zap_page_range)",
                "mm/memory.c zap_page_range, mm/mmu_gather.c tlb_finish_mmu",
                d => !d.SynchronousOnClear, new[] { "nested-gathers-vs-walker" }, MutantKind.LinuxFix), // IPTE invalidates at the clear
            new(Fault.NestedFlushDropsFreedTables, "nested-flush-drops-freed-tables", "7a30df49f63a",
                "the nested finish called __tlb_reset_range(), which cleared freed_tables: the final flush is last-level only though munmap freed a PTE table beside MADV_DONTNEED",
                "mm/mmu_gather.c tlb_finish_mmu",
                WalkCache, new[] { "munmap-beside-madvise-vs-hw-walker" }, MutantKind.LinuxFix),
            new(Fault.CollapseFreesWithoutSync, "collapse-frees-without-sync", "2ba99c5e0881",
                "khugepaged freed the old PTE table right after pmdp_collapse_flush; with broadcast invalidation nothing waited for an interrupts-off fast GUP inside it",
                "mm/khugepaged.c collapse_huge_page",
                d => d.FastGup && Broadcast(d), new[] { "khugepaged-vs-gup-fast" }, MutantKind.LinuxFix),
            new(Fault.GupSkipsPmdRecheck, "gup-skips-pmd-recheck", "70cbc3cc78a9",
                "gup_fast re-checked only the PTE after taking the folio reference, so a collapse that swapped the PMD under it went unnoticed",
                "mm/gup.c gup_pte_range",
                // Where the collapse syncs by IPI before freeing (v6.1's collapse_and_free_pmd), the walker is gone
                // before the table goes and the re-check has nothing left to catch; pte_free_defer (v6.5 on) needs it.
                d => d.FastGup && Broadcast(d) && Khugepaged.RetractFree(d.Linux) == CollapseTableFree.Defer,
                new[] { "khugepaged-vs-gup-fast" }, MutantKind.LinuxFix),
            new(Fault.TableOneSkipsInvalidate, "table-one-skips-invalidate", "d86564a2f085",
                "when the table batch page could not be allocated, tlb_remove_table freed the table with no TLB invalidate, leaving page-walk caches pointing at it",
                "mm/memory.c (later mm/mmu_gather.c) tlb_remove_table",
                TableOneHardware, new[] { "table-batch-oom-vs-hw-walker" }, MutantKind.LinuxFix),
            new(Fault.TableInvalidateSkipped, "table-invalidate-skipped", "0ed1325967ab",
                "HAVE_RCU_TABLE_NO_INVALIDATE held for powerpc radix too, whose MMU walks the Linux tables: no walk-cache invalidate on batch failure or batch flush",
                "mm/mmu_gather.c tlb_table_invalidate",
                TableOneHardware, new[] { "table-batch-oom-vs-hw-walker" }, MutantKind.LinuxFix),
            new(Fault.RangeFlushIgnoresFreedTables, "range-flush-ignores-freed-tables", "97cf301fa42e",
                "riscv tlb_flush() did a range flush when page directories were freed; the spec wants the walk caches flushed too",
                "arch/riscv/include/asm/tlb.h tlb_flush",
                d => WalkCache(d) && !d.Has(GatherOptions.NoRange), new[] { "munmap-vs-hw-walker" }, MutantKind.LinuxFix),
            new(Fault.FreedTablesNotRecorded, "freed-tables-not-recorded", "285994a62c80",
                "arm64 p?d_free_tlb went through tlb_remove_table, which invalidated nothing for the intermediate levels the walk caches hold",
                "arch/arm64/include/asm/tlb.h __pte_free_tlb",
                WalkCache, new[] { "munmap-vs-hw-walker" }, MutantKind.LinuxFix),
            new(Fault.FlushOnlyAtVmaEnd, "flush-only-at-vma-end", "6137fed08232",
                "architectures whose tlb_flush() flushed only fullmm and whose tlb_end_vma() flushed the range missed shift_arg_pages, which frees tables with neither",
                "include/asm-generic/tlb.h tlb_flush, tlb_end_vma; fs/exec.c shift_arg_pages",
                WalkCache, new[] { "shift-arg-pages-vs-walker" }, MutantKind.LinuxFix), // move_page_tables flushed the PTEs; only walk caches keep the freed table
            new(Fault.ParavirtFlushWithoutRcuTableFree, "paravirt-flush-without-rcu-table-free", "9e52fc2b50de",
                "Hyper-V and Xen flush remote TLBs by hypercall, which waits for nobody, while x86 freed page tables without RCU: fast GUP walked freed tables",
                "arch/x86/Kconfig HAVE_RCU_TABLE_FREE, arch/x86/mm/pgtable.c ___pte_free_tlb",
                d => d.Invalidation == Invalidation.Ipi && d.FastGup, new[] { "munmap-vs-gup-fast" }, MutantKind.LinuxFix),
            new(Fault.CollapseFlushKeepsWalkCaches, "collapse-flush-keeps-walk-caches", "3ef938c35035",
                "x86 flush_tlb_range() passed freed_tables=false, but pmdp_collapse_flush uses it to clear a PMD that points to a PTE table: lazy-TLB CPUs were not interrupted and walk caches kept the table khugepaged then freed",
                "arch/x86/include/asm/tlbflush.h flush_tlb_range; mm/khugepaged.c collapse_pte_mapped_thp, pmdp_collapse_flush",
                d => WalkCache(d) && d.HardwareWalksTables, new[] { "khugepaged-vs-hw-walker" }, MutantKind.LinuxFix),
            new(Fault.IpiFlushWithoutWait, "ipi-flush-without-wait", "f36391d2790d",
                "sparc64's batched TLB flush cross call did not wait for the other CPUs to run it: flushes were missed, so MADV_DONTNEED returned (and the gather freed) while another CPU still translated the range",
                "arch/sparc/mm/tlb.c flush_tlb_pending, arch/sparc/kernel/smp_64.c smp_flush_tlb_pending",
                d => d.Invalidation == Invalidation.Ipi, new[] { "nested-gathers-vs-walker" }, MutantKind.LinuxFix), // RCU table freeing still covers lockless walkers
            new(Fault.TableFreeSingleUserAtOnce, "table-free-single-user-at-once", "a6f572084fbe",
                "tlb_remove_table freed the table at once when mm_users < 2, but a CPU holding the mm lazily (mm_count) can still walk it speculatively from its walk cache",
                "mm/memory.c (now mm/mmu_gather.c) tlb_remove_table",
                d => d.Has(GatherOptions.RcuTableFree) && WalkCache(d) && d.HardwareWalksTables, new[] { "munmap-vs-lazy-walker" }, MutantKind.LinuxFix),
            new(Fault.GupWithIrqsOn, "gup-with-irqs-on", "",
                "fast GUP walks without local_irq_save: neither the flush IPI nor the sched-RCU grace period waits for it",
                "mm/gup.c gup_fast",
                d => d.FastGup && EntersFreeableTable(d), new[] { "munmap-vs-gup-fast" }, MutantKind.Rule),
            new(Fault.SplitPteSingleLoad, "split-pte-single-load", "",
                "a 64-bit PTE on a 32-bit word read with one plain load: a torn PTE names a page never mapped there",
                "mm/gup.c gup_get_pte (GUP_GET_PXX_LOW_HIGH)",
                d => d.PteRead == PteRead.LowHighSplit && d.PteSpecial, new[] { "wide-pte-update-vs-gup-fast" }, MutantKind.Rule),
            new(Fault.SplitPteNoRecheck, "split-pte-no-recheck", "",
                "gup_get_pte reads low then high but does not read low again, so a writer between the halves goes unnoticed",
                "mm/gup.c gup_get_pte",
                d => d.PteRead == PteRead.LowHighSplit && d.PteSpecial, new[] { "wide-pte-update-vs-gup-fast" }, MutantKind.Rule),
            new(Fault.DeferFreesAtOnce, "defer-frees-at-once", "",
                "pte_free_defer frees at once: with broadcast invalidation nothing waited for a lockless walker in the retracted table",
                "mm/pgtable-generic.c pte_free_defer, arch/s390/mm/pgalloc.c",
                d => d.HasSoftwareWalker && Broadcast(d), new[] { "khugepaged-vs-gup-fast", "pte-free-defer-fragments" }, MutantKind.Rule),
            new(Fault.FreePagesBeforeFlush, "free-pages-before-flush", "06824ba824b3",
                "pages freed before the invalidate: another CPU's TLB still maps them (ARM's tlb_remove_page freed each page at once on SMP and ARMv7 until this commit; here tlb_flush_mmu frees its batch before tlb_flush_mmu_tlbonly)",
                "arch/arm/include/asm/tlb.h tlb_remove_page; mm/mmu_gather.c tlb_flush_mmu",
                d => !d.Has(GatherOptions.NoGather), new[] { "munmap-vs-hw-walker", "munmap-batch-full-vs-hw-walker" }, MutantKind.LinuxFix),
            new(Fault.TablesFreedBeforeFlush, "tables-freed-before-flush", "06824ba824b3",
                "ARM's __pte_free_tlb freed the page table at once, before the invalidate: a walker that read the PMD entry before it was cleared (a hardware walk, its walk cache, a refill handler or fast GUP) is still inside the table",
                "arch/arm/include/asm/tlb.h __pte_free_tlb",
                d => d.HardwareWalksTables || d.HasSoftwareWalker,
                new[] { "munmap-vs-hw-walker", "munmap-vs-gup-fast", "munmap-vs-sw-refill" }, MutantKind.LinuxFix),
            new(Fault.TableFullFreesAtOnce, "table-full-frees-at-once", "",
                "tlb_remove_table fills the table batch (MAX_TABLE_BATCH) mid-unmap and tlb_table_flush frees it at once, with neither tlb_table_invalidate nor the grace period: a walk still inside a table of the batch reads a freed page",
                "mm/mmu_gather.c tlb_remove_table, tlb_table_flush",
                // Where the gather frees tables by RCU and a walker runs lockless; built only where a batch is small enough
                // to fill cheaply (TableBatchOverflow.Explores: not 16 KiB or 64 KiB pages).
                d => TableBatchOverflow.Explores(d) && d.Has(GatherOptions.RcuTableFree) && (d.HardwareWalksTables || d.FastGup),
                new[] { "munmap-table-batch-full-vs-walker" }, MutantKind.Rule),
            new(Fault.RewriteWithoutFlush, "rewrite-without-flush", "",
                "change_pte_range (mprotect) or madvise_free_pte_range (MADV_FREE) rewrites a PTE without tlb_flush_pte_range / tlb_remove_tlb_entry: tlb_finish_mmu flushes nothing, and the call returns while another CPU still stores through its writable TLB entry",
                "mm/mprotect.c change_pte_range, mm/madvise.c madvise_free_pte_range; include/asm-generic/tlb.h tlb_flush_pte_range",
                // s390's IPTE invalidates the entry on every CPU as it is cleared: no flush is left to skip.
                d => !d.SynchronousOnClear,
                new[] { "mprotect-vs-writer", "madvise-free-vs-writer" }, MutantKind.Rule),
            new(Fault.TableOneWithoutSync, "table-one-without-sync", "",
                "tlb_remove_table_one frees its table without tlb_remove_table_sync_one (or a grace period): a lockless walker the invalidate did not wait for is still inside",
                "mm/mmu_gather.c tlb_remove_table_one",
                d => d.Has(GatherOptions.RcuTableFree) && d.HasSoftwareWalker && (Broadcast(d) || d.Has(GatherOptions.NoTableInvalidate)),
                new[] { "table-batch-oom-vs-sw-walker" }, MutantKind.Rule),
            new(Fault.ClearWithoutIpte, "clear-without-ipte", "",
                "s390 clears the PTE without IPTE while MMU_GATHER_NO_GATHER frees the page at once",
                "arch/s390/include/asm/pgtable.h ptep_get_and_clear, arch/s390/include/asm/tlb.h __tlb_remove_page_size",
                d => d.SynchronousOnClear && d.Has(GatherOptions.NoGather), new[] { "munmap-vs-hw-walker" }, MutantKind.Rule),
            new(Fault.ReclaimTableOneIpiSync, "reclaim-table-one-ipi-sync", "718b13861d22",
                "with PT_RECLAIM freeing PTE tables under mmap_read_lock, the table-batch fallback still synced by IPI (semi RCU) and freed: a pte_offset_map walker under rcu_read_lock with interrupts on takes the IPI while inside the table",
                "mm/mmu_gather.c tlb_remove_table_one (arch/x86/include/asm/tlb.h __tlb_remove_table_one before it moved)",
                LinuxEras.PtReclaim, new[] { "madvise-reclaim-oom-vs-rcu-walker" }, MutantKind.LinuxFix),
            new(Fault.ReclaimFreesAtOnce, "reclaim-frees-at-once", "",
                "MADV_DONTNEED frees the PTE table it emptied with pte_free instead of pte_free_tlb: no grace period or flush covers the lockless walkers inside it",
                "mm/memory.c zap_pte_range",
                LinuxEras.PtReclaim, new[] { "madvise-reclaim-vs-rcu-walker", "madvise-reclaim-vs-gup-fast" }, MutantKind.Rule),
            new(Fault.FullMmSkipsTableFlush, "fullmm-skips-table-flush", "",
                "a fullmm tlb_flush() returns at once, also when exit_mmap freed page tables: a CPU that still has the mm loaded lazily walks through its walk cache into a freed table (arm64 keeps flush_tlb_mm for !last_level)",
                "arch/arm64/include/asm/tlb.h tlb_flush",
                WalkCache, new[] { "exit-mmap-vs-lazy-walker" }, MutantKind.Rule),
            new(Fault.GupSkipsPteRecheck, "gup-skips-pte-recheck", "",
                "gup_fast takes the folio reference and re-checks nothing: a page zapped between the PTE read and the grab is pinned though no longer mapped there, and with broadcast invalidation a frame freed and mapped again elsewhere (the ABA)",
                "mm/gup.c gup_fast_pte_range",
                d => d.FastGup && d.PteSpecial, new[] { "page-reuse-vs-gup-fast" }, MutantKind.Rule),
            new(Fault.HarmlessBatchOfOne, "harmless-batch-of-one", "",
                "a page batch of one: zap_pte_range flushes after every page, in the right order",
                "mm/mmu_gather.c __tlb_remove_folio_pages_size",
                d => true, Array.Empty<string>(), MutantKind.Harmless),
            new(Fault.HarmlessFullMmFlush, "harmless-full-mm-flush", "",
                "every flush is flush_tlb_mm with the walk caches: more than needed, never less",
                "mm/mmu_gather.c tlb_flush_mmu_tlbonly",
                d => true, Array.Empty<string>(), MutantKind.Harmless),
        };

        /// <summary>The names of the mutants whose bugs <paramref name="faults"/> puts back, joined by '+' ("" for none).</summary>
        public static string NamesOf(Fault faults)
        {
            if (faults == Fault.None) return "";
            var names = new List<string>();
            foreach (var m in All)
            {
                if ((faults & m.Fault) != 0) names.Add(m.Name);
            }
            return string.Join("+", names);
        }

        /// <summary>The faults of the mutants <paramref name="names"/> (joined by '+') names; unknown names add nothing.</summary>
        public static Fault FaultsOf(string names)
        {
            var faults = Fault.None;
            if (string.IsNullOrEmpty(names)) return faults;
            foreach (var name in names.Split('+')) faults |= Find(name)?.Fault ?? Fault.None;
            return faults;
        }

        /// <summary>The mutant called <paramref name="name"/>, or null.</summary>
        public static Mutant? Find(string name) =>
            ((List<Mutant>)[.. All]).Find(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase));
    }
}
