using System.Linq;
using System;
using Shootdown.Kernel;
using Shootdown.Reference;
using Shootdown.Simulation;
using static Shootdown.Runtime.Tests.Reference.TestMachines;

namespace Shootdown.Runtime.Tests.Reference
{
    /// <summary>mm/gup.c rules on the reference fast GUP and the shared fallback.</summary>
    public sealed class FastGupTests
    {
        [Fact]
        public void Fast_gup_pins_mapped_pages_with_interrupts_off_and_restores_them()
        {
            var (m, mm, c0, c1) = Boot(X86Like());
            MapAndFault(m, mm, Base, 16 * 4096UL);
            var pages = new int[16];
            var irqsDuringWalk = true;
            WalkerSteps.With((step, _, _) => irqsDuringWalk &= !c1.IrqsEnabled, () =>
                Assert.Equal(16, ReferenceFastGup.GupFast(c1, mm, Base, write: true, pages)));
            Assert.True(irqsDuringWalk);
            Assert.True(c1.IrqsEnabled);
            foreach (var pfn in pages) Assert.Equal(2, m.Memory[pfn].RefCount);
        }

        [Fact]
        public void Without_pte_special_small_pages_always_take_the_slow_path_but_huge_leaves_do_not()
        {
            var d = X86Like() with { PteSpecial = false };
            var (m, mm, c0, _) = Boot(d);
            MapAndFault(m, mm, Base, 4 * 4096UL);
            var pmd = m.Geometry.EntrySize(1);
            MapAndFault(m, mm, Base + pmd, pmd, VmaFlags.Write | VmaFlags.Huge);
            var pages = new int[(int)(pmd / 4096)];
            Assert.Equal(0, ReferenceFastGup.GupFast(c0, mm, Base, false, pages.AsSpan(0, 4)));
            Assert.Equal(pages.Length, ReferenceFastGup.GupFast(c0, mm, Base + pmd, false, pages));
            // Base page i of the leaf is frame head + i; every reference went to the folio (the head).
            for (var i = 0; i < pages.Length; i++) Assert.Equal(pages[0] + i, pages[i]);
            Assert.True(m.Memory[pages[0]].Order > 0);
            Assert.Equal(1 + pages.Length, m.Memory[pages[0]].RefCount);
            Assert.Equal(0, m.Memory[pages[1]].RefCount);
            // get_user_pages_fast still gets the small pages, through the slow path.
            Assert.Equal(4, Gup.GetUserPagesFast<ReferenceFastGup>(c0, mm, Base, 4, false, pages));
        }

        [Fact]
        public void Write_to_read_only_and_special_ptes_stop_the_fast_walk()
        {
            var (m, mm, c0, _) = Boot(X86Like());
            MapAndFault(m, mm, Base, 4096, VmaFlags.None);
            MapAndFault(m, mm, Base + 0x10000, 4096, VmaFlags.Write | VmaFlags.PfnMap);
            var pages = new int[1];
            Assert.Equal(0, ReferenceFastGup.GupFast(c0, mm, Base, write: true, pages));
            Assert.Equal(1, ReferenceFastGup.GupFast(c0, mm, Base, write: false, pages));
            Assert.Equal(0, ReferenceFastGup.GupFast(c0, mm, Base + 0x10000, write: false, pages));
        }

        [Fact]
        public void Fallback_faults_in_the_rest_and_returns_errno_only_when_nothing_was_pinned()
        {
            var (m, mm, c0, _) = Boot(X86Like());
            AddressSpace.Mmap(m, mm, Base, 8 * 4096UL, VmaFlags.Write);
            AddressSpace.Fault(c0, mm, Base);
            AddressSpace.Fault(c0, mm, Base + 4096);
            var pages = new int[16];
            Assert.Equal(8, Gup.GetUserPagesFast<ReferenceFastGup>(c0, mm, Base, 8, true, pages));
            // 8 mapped, the next 8 have no VMA: gup_fast_fallback returns the 8 it pinned, not -EFAULT.
            Assert.Equal(8, Gup.GetUserPagesFast<ReferenceFastGup>(c0, mm, Base, 16, true, pages));
            Assert.Equal(-Errno.EFAULT, Gup.GetUserPagesFast<ReferenceFastGup>(c0, mm, Base + 0x100000, 1, false, pages));
            Assert.Equal(-Errno.EFAULT, Gup.GetUserPagesFast<ReferenceFastGup>(c0, mm, m.Geometry.TaskSize - 4096, 2, false, pages));
            Assert.Equal(-Errno.EOVERFLOW, Gup.GetUserPagesFast<ReferenceFastGup>(c0, mm, ulong.MaxValue - 8191, 4, false, pages));
            Assert.Throws<ArgumentException>(() => Gup.GetUserPagesFast<ReferenceFastGup>(c0, mm, Base, 32, false, pages));
            Assert.Throws<ArgumentOutOfRangeException>(() => Gup.GetUserPagesFast<ReferenceFastGup>(c0, mm, Base, -1, false, pages));
        }

        [Fact]
        public void A_pte_that_changes_after_the_speculative_reference_is_dropped()
        {
            // gup_fast_pte_range: pte_val(pte) != pte_val(ptep_get(ptep)) -> gup_put_folio, stop.
            var (m, mm, c0, c1) = Boot(Arm64Like());
            MapAndFault(m, mm, Base, 4096);
            var pages = new int[1];
            var pinned = -1;
            WalkerSteps.With((step, level, _) =>
            {
                if (step == WalkerStep.ReferenceTaken) Assert.Equal(0, Madvise.DontNeed<ReferenceGather>(c0, mm, Base, 4096));
            }, () => pinned = ReferenceFastGup.GupFast(c1, mm, Base, false, pages));
            Assert.Equal(0, pinned);
            m.Rcu.Quiesce();
            Assert.True(m.Violations.IsEmpty, string.Join("\n", m.Violations.All));
        }
    }
}
