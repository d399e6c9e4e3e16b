using System.Collections.Generic;
using Shootdown.Generator.Model;

namespace Shootdown.Generator.Emit
{
    /// <summary>
    /// Emits <c>gup_fast</c> (mm/gup.c) for a descriptor with <c>[FastGup]</c>: one method per level that exists, the PTE
    /// read chosen at generation time (one load, or the <c>GUP_GET_PXX_LOW_HIGH</c> low/high/low loop), and no PTE-level
    /// pinning at all without <c>ARCH_HAS_PTE_SPECIAL</c>. The emitted code never tests a descriptor property. Its
    /// comments name Linux's functions as the descriptor's era spells them (<see cref="EraNames"/>).
    /// </summary>
    internal static class FastGupEmitter
    {
        private const string PageTables = Names.Sim + "PageTables";
        private const string Cursor = Names.Sim + "TableCursor";
        private const string Entry = Names.Sim + "Entry";
        private const string Machine = Names.Sim + "Machine";
        private const string Span = "global::System.Span<int>";

        public static string Emit(ArchitectureModel model)
        {
            var d = model.Descriptor;
            var w = PartialFrame.Open(model);
            w.Comment(Explain(d));
            w.Line("/// <summary><c>" + EraNames.GupFastWalk(d.Linux) + "</c> of " + DescriptorEmitter.Xml(d.Name) + ": " + DescriptorEmitter.Xml(LevelChain(d)) + ", interrupts off.</summary>");
            w.Line(PartialFrame.GeneratedCode);
            w.Open("public struct FastGup : " + Names.Sim + "IFastGup<FastGup>");
            Constants(w, d);
            EntryPoint(w, d);
            for (var level = d.Levels - 1; level >= 1; level--) Range(w, d, level);
            Leaf(w, d);
            PteRange(w, d);
            Helpers(w, d);
            w.Close();
            return PartialFrame.Close(model, w);
        }

        private static bool Split(ArchDescriptor d) => d.PteRead == PteRead.LowHighSplit;

        /// <summary>Linux's name of the table at <paramref name="level"/>: pgd at the top, then p4d, pud, pmd, pte.</summary>
        private static string Name(ArchDescriptor d, int level) =>
            PageTableLevels.Name(level, d.Levels);

        private static string Pascal(string name) => char.ToUpperInvariant(name[0]) + name.Substring(1);

        private static string LevelChain(ArchDescriptor d)
        {
            var names = new List<string>();
            for (var level = d.Levels - 1; level >= 0; level--) names.Add(Name(d, level));
            return string.Join(" -> ", names);
        }

        private static string Explain(ArchDescriptor d)
        {
            var lines = new List<string>
            {
                EraNames.GupFastWalk(d.Linux) + " (mm/gup.c) of " + d.Name + ": a lockless walk " + LevelChain(d) + " with interrupts off",
                "(local_irq_save), one method per level.",
            };
            if (d.GlobalAsidBroadcast)
            {
                lines.Add("An mm with a global ASID is flushed by INVLPGB, which interrupts nobody: for it, interrupts off protect");
                lines.Add("this walk only because page tables are freed after a sched-RCU grace period (MMU_GATHER_RCU_TABLE_FREE),");
                lines.Add("which they hold off; for every other mm the flush IPI is held off too.");
            }
            else if (d.Invalidation == Invalidation.Ipi)
            {
                lines.Add("Interrupts off hold off the IPI that completes every TLB shootdown, so munmap cannot get from");
                lines.Add("the invalidate to the free while this walk is inside a table.");
                if (d.Has(GatherOptions.RcuTableFree))
                    lines.Add("Page tables are also freed after a sched-RCU grace period (MMU_GATHER_RCU_TABLE_FREE), which an\ninterrupts-off region holds off too: that covers flushes that IPI nobody (paravirt, remote fences).");
            }
            else
            {
                lines.Add("Broadcast invalidation interrupts nobody, so interrupts off protect this walk only because page");
                lines.Add("tables are freed after a sched-RCU grace period (MMU_GATHER_RCU_TABLE_FREE), which they hold off.");
            }
            if (Split(d))
            {
                lines.Add($"A {d.PteBits}-bit PTE on a {d.WordBits}-bit word is two loads ({EraNames.SplitReadConfig(d.Linux)}): read low, high,");
                lines.Add("then low again, and retry if low changed. Writers clear the low half first and set it last, so a");
                lines.Add("stable low half proves the high half belongs to it; a plain pair of loads can combine a new high");
                lines.Add("half with an old low half and pin a page that was never mapped there (the torn PTE).");
                if (d.Levels > 2) lines.Add("PMD entries are read the same way (pmdp_get_lockless).");
            }
            else
            {
                lines.Add("Every entry is read with one single-copy-atomic load (ptep_get_lockless, READ_ONCE).");
            }
            lines.Add(d.PteSpecial
                ? "ARCH_HAS_PTE_SPECIAL: a special PTE (no struct page) stops the walk; other PTE pages are pinned."
                : "Without ARCH_HAS_PTE_SPECIAL " + EraNames.GupFastPteRange(d.Linux) + " pins nothing: only huge PMD/PUD leaves are taken.");
            lines.Add("Each page is referenced speculatively (" + EraNames.GrabFolioFast(d.Linux) + "), then the PMD and the PTE are read");
            lines.Add("again; if either changed the reference is dropped and the walk stops. The caller takes the rest");
            lines.Add("through the slow path under the mmap lock.");
            return string.Join("\n", lines);
        }

        private static void Constants(SourceWriter w, ArchDescriptor d)
        {
            w.Line("private const int PageShift = " + GatherGeometry.LevelShift(d, 0) + ";");
            w.Line("private const ulong PageSize = 1UL << PageShift;");
            for (var level = 1; level < d.Levels; level++)
            {
                var name = Pascal(Name(d, level));
                w.Line($"private const int {name}Shift = {GatherGeometry.LevelShift(d, level)};");
            }
            for (var level = 0; level < d.Levels; level++)
            {
                var name = Pascal(Name(d, level));
                w.Line($"private const int PtrsPer{name} = {GatherGeometry.EntriesPerTable(d, level)};");
            }
            w.Line("// TASK_SIZE: the walk never leaves the user address space.");
            w.Line("private const ulong TaskSize = 0x" + (1UL << GatherGeometry.AddressBits(d)).ToString("x") + "UL;");
            w.Line();
        }

        private static string Shift(ArchDescriptor d, int level) => level == 0 ? "PageShift" : Pascal(Name(d, level)) + "Shift";

        private static void EntryPoint(SourceWriter w, ArchDescriptor d)
        {
            w.Line("/// <inheritdoc/>");
            w.Open("public static int GupFast(" + Names.Cpu + " cpu, " + Names.Mm + " mm, ulong start, bool write, " + Span + " pages)");
            w.Line("if (cpu is null) throw new global::System.ArgumentNullException(nameof(cpu));");
            w.Line("if (mm is null) throw new global::System.ArgumentNullException(nameof(mm));");
            w.Line("if ((start & (PageSize - 1)) != 0) throw new global::System.ArgumentException($\"address {start:x} is not page aligned\", nameof(start));");
            w.Line("ulong end = start + ((ulong)pages.Length << PageShift);");
            w.Line("// gup_fast_permitted: an empty, wrapping or non-user range takes nothing here.");
            w.Line("if (pages.Length == 0 || end <= start || end > TaskSize || mm.Pgd.IsNone) return 0;");
            w.Line("int nr = 0;");
            w.Line("bool irqsWereOn = cpu.IrqsEnabled;");
            w.Line("cpu.DisableIrqs(); // local_irq_save: no IPI is taken and no sched-RCU grace period ends until the walk is done");
            w.Open("try");
            w.Line(Pascal(Name(d, d.Levels - 1)) + "Range(cpu, mm.Pgd, start, end, write, pages, ref nr);");
            w.Close();
            w.Open("finally");
            w.Line("if (irqsWereOn) cpu.EnableIrqs(); // local_irq_restore");
            w.Close();
            w.Line("return nr;");
            w.Close();
            w.Line();
        }

        private static void Range(SourceWriter w, ArchDescriptor d, int level)
        {
            var name = Name(d, level);
            var child = Pascal(Name(d, level - 1));
            var splitRead = Split(d) && level == 1 && d.Levels > 2;
            w.Line("// " + EraNames.GupFastRange(d.Linux, name));
            w.Open($"private static bool {Pascal(name)}Range({Names.Cpu} cpu, {Names.TableRef} table, ulong addr, ulong end, bool write, {Span} pages, ref int nr)");
            w.Line("global::Shootdown.Simulation.Machine m = cpu.Machine;");
            w.Line($"if (!Live(cpu, table, \"{name}\", addr)) return false;");
            // Opened even where the walk itself reads in halves: the leaf and PMD re-checks load whole entries from it.
            w.Line($"{Cursor} entries = {Cursor}.Open(m, table, {level});");
            w.Open("do");
            w.Line($"int index = (int)((addr >> {Shift(d, level)}) & (PtrsPer{Pascal(name)} - 1));");
            w.Line(splitRead
                ? "ulong entry = ReadLowHigh(m, table, 1, index); // pmdp_get_lockless"
                : "ulong entry = entries.LoadOnce(index); // READ_ONCE");
            w.Line($"m.Trace.Record({Names.EventKind}.WalkerRead, cpu.Id, addr, {level}, entry);");
            w.Line($"ulong next = AddrEnd(addr, end, {Shift(d, level)}); // {name}_addr_end");
            w.Line($"if (!{Entry}.IsPresent(entry)) return false;");
            if (level <= 2)
            {
                var leafName = level == 1 ? "pmd" : "pud";
                w.Open($"if ((entry & {Entry}.Leaf) != 0)");
                w.Line($"if (!LeafRange(cpu, entry, entries, {level}, index, addr, next, write, pages, ref nr)) return false; // {EraNames.GupFastLeaf(d.Linux, leafName)}");
                w.Close();
                if (level == 1)
                    w.Line($"else if (!PteRange(cpu, entry, entries, index, addr, next, write, pages, ref nr)) return false;");
                else
                    w.Line($"else if (!{child}Range(cpu, {PageTables}.Deref(m, entry, {level - 1}), addr, next, write, pages, ref nr)) return false;");
            }
            else
            {
                w.Line($"if ((entry & {Entry}.Leaf) != 0) return false; // no {name} leaves: leave it to the slow path");
                w.Line($"if (!{child}Range(cpu, {PageTables}.Deref(m, entry, {level - 1}), addr, next, write, pages, ref nr)) return false;");
            }
            w.Line("addr = next;");
            w.Close(" while (addr != end);");
            w.Line("return true;");
            w.Close();
            w.Line();
        }

        private static void Leaf(SourceWriter w, ArchDescriptor d)
        {
            w.Line("// " + EraNames.GupFastLeaf(d.Linux, "pmd") + ", " + EraNames.GupFastLeaf(d.Linux, "pud") + ": a huge leaf pins one reference per base page it covers in range.");
            w.Open($"private static bool LeafRange({Names.Cpu} cpu, ulong orig, {Cursor} table, int level, int index, ulong addr, ulong end, bool write, {Span} pages, ref int nr)");
            w.Line("global::Shootdown.Simulation.Machine m = cpu.Machine;");
            w.Line($"if (write && (orig & {Entry}.Write) == 0) return false; // pmd_access_permitted");
            w.Line($"if ((orig & {Entry}.Special) != 0) return false; // pmd_special");
            w.Line("int refs = (int)((end - addr) >> PageShift);");
            w.Line($"int head = {PageTables}.Pfn(m, orig);");
            w.Line("if (!ValidPfn(m, head)) return false;");
            w.Line("// pmd_page(orig) + ((addr & ~PMD_MASK) >> PAGE_SHIFT): base page i of the leaf is frame head + i.");
            var leafShift = d.Levels > 2 ? "(level == 1 ? " + Shift(d, 1) + " : " + Shift(d, 2) + ")" : Shift(d, 1);
            w.Line("int page = head + (int)((addr & ((1UL << " + leafShift + ") - 1)) >> PageShift);");
            w.Line("if (page + refs > m.Memory.FrameCount || !TryGrab(m, page, refs)) return false; // " + EraNames.GrabFolioFast(d.Linux) + "(page, refs): on the folio");
            w.Open("if (table.LoadOnce(index) != orig)");
            w.Line("PutRefs(cpu, page, refs); // the leaf changed under us: gup_put_folio");
            w.Line("return false;");
            w.Close();
            w.Line("for (int i = 0; i < refs; i++) pages[nr++] = page + i; // record_subpages");
            w.Line("return true;");
            w.Close();
            w.Line();
        }

        private static void PteRange(SourceWriter w, ArchDescriptor d)
        {
            w.Line("// " + EraNames.GupFastPteRange(d.Linux));
            w.Open($"private static bool PteRange({Names.Cpu} cpu, ulong pmd, {Cursor} pmds, int pmdIndex, ulong addr, ulong end, bool write, {Span} pages, ref int nr)");
            if (!d.PteSpecial)
            {
                w.Line("// Without ARCH_HAS_PTE_SPECIAL a PTE cannot say it has no struct page behind it, so nothing is pinned here.");
                w.Line("return false;");
                w.Close();
                w.Line();
                return;
            }
            w.Line("global::Shootdown.Simulation.Machine m = cpu.Machine;");
            w.Line($"{Names.TableRef} table = {PageTables}.Deref(m, pmd, 0); // pte_offset_map(&pmd, addr)");
            w.Line("if (!Live(cpu, table, \"pte\", addr)) return false;");
            if (!Split(d)) w.Line($"{Cursor} ptes = {Cursor}.Open(m, table, 0);");
            w.Line("" + Names.EventTrace + " trace = m.Trace; // looked up once per table, not per page");
            w.Open("do");
            w.Line("int index = (int)((addr >> PageShift) & (PtrsPerPte - 1));");
            w.Line(Split(d)
                ? "ulong pte = ReadLowHigh(m, table, 0, index); // ptep_get_lockless: gup_get_pte"
                : "ulong pte = ptes.LoadOnce(index); // ptep_get_lockless");
            w.Line($"if (trace.Enabled) trace.Record({Names.EventKind}.WalkerRead, cpu.Id, addr, 0, pte); // usually off: no arguments loaded");
            w.Line($"if (!{Entry}.IsPresent(pte)) return false;");
            w.Line($"if (write && (pte & {Entry}.Write) == 0) return false; // pte_access_permitted");
            w.Line($"if ((pte & {Entry}.Special) != 0) return false; // pte_special: no struct page to reference");
            w.Line($"int pfn = {PageTables}.Pfn(m, pte);");
            w.Line("if (!ValidPfn(m, pfn) || !m.Memory.TryGet(pfn)) return false; // " + EraNames.GrabFolioFast(d.Linux) + "(page, 1)");
            w.Line("// The reference is speculative: the PMD may have been cleared and the table freed, or the PTE changed.");
            // A PTE wider than the load is compared as the compiler would load it: in two halves (Read); a PMD is loaded whole.
            var pteAgain = Split(d) ? $"{PageTables}.Read(m, table, 0, index)" : "ptes.LoadOnce(index)";
            w.Open($"if (pmds.LoadOnce(pmdIndex) != pmd || {pteAgain} != pte)");
            w.Line("m.Memory.Put(pfn, cpu.Id); // gup_put_folio");
            w.Line("return false;");
            w.Close();
            w.Line("pages[nr++] = pfn;");
            w.Line("addr += PageSize;");
            w.Close(" while (addr != end);");
            w.Line("return true;");
            w.Close();
            w.Line();
        }

        private static void Helpers(SourceWriter w, ArchDescriptor d)
        {
            w.Line("// p?d_addr_end: the end of this entry's span, or end if that comes first (wrap-safe).");
            w.Open("private static ulong AddrEnd(ulong addr, ulong end, int shift)");
            w.Line("ulong boundary = (addr + (1UL << shift)) & ~((1UL << shift) - 1);");
            w.Line("return boundary - 1 < end - 1 ? boundary : end;");
            w.Close();
            w.Line();
            w.Line("// pfn_valid: an entry naming no frame of this machine is left to the slow path.");
            w.Line($"private static bool ValidPfn({Machine} m, int pfn) => pfn > 0 && pfn < m.Memory.FrameCount;");
            w.Line();
            w.Open($"private static bool TryGrab({Machine} m, int pfn, int refs)");
            w.Line("if (!m.Memory.TryGet(pfn)) return false;");
            w.Line("for (int i = 1; i < refs; i++) m.Memory.Get(pfn);");
            w.Line("return true;");
            w.Close();
            w.Line();
            w.Open($"private static void PutRefs({Names.Cpu} cpu, int pfn, int refs)");
            w.Line("for (int i = 0; i < refs; i++) cpu.Machine.Memory.Put(pfn, cpu.Id);");
            w.Close();
            w.Line();
            w.Line("// A walker inside a freed table is the use-after-free that IPI or RCU table freeing must rule out.");
            w.Open($"private static bool Live({Names.Cpu} cpu, {Names.TableRef} table, string level, ulong addr)");
            w.Line($"if ({PageTables}.IsLive(cpu.Machine, table)) return true;");
            w.Line($"cpu.Machine.Violations.Report({Names.Sim}ViolationKind.ReadFreedTable, cpu.Id, $\"gup_fast on cpu{{cpu.Id}} read {{level}} {{table}} for {{addr:x}} after it was freed\");");
            w.Line("return false;");
            w.Close();
            if (!Split(d)) return;
            w.Line();
            w.Line("// gup_get_pte / pmdp_get_lockless: low, barrier, high, barrier, low again; the volatile loads keep the order.");
            w.Open($"private static ulong ReadLowHigh({Machine} m, {Names.TableRef} table, int level, int index)");
            w.Line("uint low, high;");
            w.Open("do");
            w.Line($"low = {PageTables}.ReadLow(m, table, level, index);");
            w.Line($"high = {PageTables}.ReadHigh(m, table, level, index);");
            w.Close($" while (low != {PageTables}.ReadLow(m, table, level, index));");
            w.Line("return ((ulong)high << 32) | low;");
            w.Close();
        }
    }
}
