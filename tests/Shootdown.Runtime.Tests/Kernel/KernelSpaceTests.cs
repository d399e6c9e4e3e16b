using System.Linq;
using Shootdown.Kernel;
using Shootdown.Reference;
using Shootdown.Simulation;
using static Shootdown.Runtime.Tests.Reference.TestMachines;

namespace Shootdown.Runtime.Tests.Kernel
{
    /// <summary>Per-mm PGDs sharing kernel entries (x86 sync_global_pgds and lockless pgd_alloc): fork, exec and exit in both designs.</summary>
    public sealed class KernelSpaceTests
    {
        [Theory]
        [InlineData(PgdSyncDesign.LockedPgdList, ForkStep.PgdAllocated)]
        [InlineData(PgdSyncDesign.LocklessPublishThenCopy, ForkStep.PgdAllocated)]
        [InlineData(PgdSyncDesign.LocklessPublishThenCopy, ForkStep.Published)]
        [InlineData(PgdSyncDesign.LocklessPublishThenCopy, ForkStep.KernelEntriesCopied)]
        public void A_kernel_entry_added_during_fork_reaches_every_mm(PgdSyncDesign design, ForkStep at)
        {
            var m = new Machine(X86Like(), 2, 4096);
            var kernel = new KernelSpace(m, design);
            var c0 = m.Cpu(0);
            kernel.AddKernelEntry(c0, kernel.KernelFirstIndex);
            var init = kernel.Spawn(c0);
            var child = kernel.Fork(c0, init, step =>
            {
                if (step == at) kernel.AddKernelEntry(m.Cpu(1), kernel.KernelFirstIndex + 1);
            });
            Assert.NotNull(child);
            Assert.Equal(2, kernel.Tasks.Count);
            Assert.Empty(kernel.MissingKernelEntries());
        }

        [Fact]
        public void Copying_before_publishing_loses_an_entry_added_in_between()
        {
            var m = new Machine(X86Like(), 2, 4096);
            var kernel = new KernelSpace(m, PgdSyncDesign.LocklessCopyThenPublish);
            var init = kernel.Spawn(m.Cpu(0));
            kernel.Fork(m.Cpu(0), init, step =>
            {
                if (step == ForkStep.KernelEntriesCopied) kernel.AddKernelEntry(m.Cpu(1), kernel.KernelFirstIndex + 3);
            });
            var missing = kernel.MissingKernelEntries();
            Assert.Single(missing);
            Assert.Equal(kernel.KernelFirstIndex + 3, missing[0].Index);
        }

        [Theory]
        [InlineData(PgdSyncDesign.LockedPgdList)]
        [InlineData(PgdSyncDesign.LocklessPublishThenCopy)]
        public void Fork_exec_exit_free_every_user_page_and_table_and_keep_kernel_tables(PgdSyncDesign design)
        {
            var m = new Machine(Arm64Like(), 2, 8192);
            var kernel = new KernelSpace(m, design);
            var c0 = m.Cpu(0);
            kernel.AddKernelEntry(c0, kernel.KernelFirstIndex);
            var baseline = m.Memory.InUse;
            var init = kernel.Spawn(c0);
            AddressSpace.Mmap(m, init.Mm!, Base, 64UL << 10, VmaFlags.Write);
            AddressSpace.Populate(c0, init.Mm!, Base, Base + (64UL << 10));
            var child = kernel.Fork(c0, init)!;
            Assert.True(AddressSpace.Populate(c0, child.Mm!, Base, Base + (32UL << 10)));
            Assert.True(kernel.Exec<ReferenceGather>(c0, child, argPages: 3));
            Assert.Null(child.Mm!.FindVma(Base)); // exec replaced the address space
            kernel.AddKernelEntry(c0, kernel.KernelFirstIndex + 1);
            Assert.Empty(kernel.MissingKernelEntries());
            kernel.Exit<ReferenceGather>(c0, child);
            kernel.Exit<ReferenceGather>(c0, init);
            Assert.True(m.Rcu.Quiesce());
            Assert.True(m.Violations.IsEmpty, string.Join("\n", m.Violations.All));
            Assert.Equal(baseline + 1, m.Memory.InUse); // only the second kernel table is new
            Assert.Throws<System.InvalidOperationException>(() => kernel.Exit<ReferenceGather>(c0, init));
            Assert.Throws<System.ArgumentOutOfRangeException>(() => kernel.AddKernelEntry(c0, 0));
        }
    }
}
