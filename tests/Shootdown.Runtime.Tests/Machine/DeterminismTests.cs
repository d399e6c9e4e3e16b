using System.Linq;
using Shootdown.Kernel;
using Shootdown.Reference;
using Shootdown.Simulation;

namespace Shootdown.Runtime.Tests.MachineTests
{
    /// <summary>
    /// Traces depend on nothing outside the machine: two machines doing the same operations, or one schedule replayed,
    /// record the same events, whatever other machines in the process did before; and CPUs contending for mmap_lock and
    /// page_table_lock under the controlled scheduler never hang it.
    /// </summary>
    public class DeterminismTests
    {
        private const ulong Base = 0x4000_0000;

        private static (Machine, Scenario) TwoAddressSpaceOperations() => TwoAddressSpaceOperations(new int[1]);

        // contended[0] counts runs in which cpu0's munmap wanted mmap_lock for write while cpu1 held it to fault or
        // advise. (munmap holds it for write only while it detaches the VMAs, with no scheduling point before the
        // downgrade, so the other way round, cpu1 finding it write-held, cannot happen.)
        private static (Machine, Scenario) TwoAddressSpaceOperations(int[] contended)
        {
            var m = new Machine(Machines.Describe("x86ish", Invalidation.Ipi, options: GatherOptions.RcuTableFree), cpus: 2, frames: 1024);
            m.Trace.Enabled = true;
            var mm = m.CreateMm()!;
            m.Cpu(0).SwitchTo(mm);
            m.Cpu(1).SwitchTo(mm);
            AddressSpace.Mmap(m, mm, Base, 8 * 4096UL, VmaFlags.Write);
            AddressSpace.Mmap(m, mm, Base + (2UL << 20), 8 * 4096UL, VmaFlags.Write);
            Assert.True(AddressSpace.Populate(m.Cpu(0), mm, Base, Base + 8 * 4096UL));
            var scenario = new Scenario()
                .On(0, cpu =>
                {
                    m.Mmu.Access(cpu, mm, Base);
                    if (mm.MmapLock.Readers != 0) contended[0]++;
                    AddressSpace.Munmap<ReferenceGather>(cpu, mm, Base, 8 * 4096UL);
                })
                .On(1, cpu =>
                {
                    AddressSpace.Populate(cpu, mm, Base + (2UL << 20), Base + (2UL << 20) + 4 * 4096UL);
                    Madvise.DontNeed<ReferenceGather>(cpu, mm, Base + (2UL << 20), 8 * 4096UL);
                    m.Mmu.Access(cpu, mm, Base + (2UL << 20));
                });
            return (m, scenario);
        }

        [Fact]
        public void Mm_ids_are_per_machine_and_traces_match_across_machines_and_replays()
        {
            var (first, s1) = TwoAddressSpaceOperations();
            var r1 = first.Run(s1, new RunOptions(Seed: 7));
            // Other machines making mms in between must not shift anything.
            for (var i = 0; i < 3; i++) new Machine(Machines.IpiX86, cpus: 1, frames: 64).CreateMm();
            var (second, s2) = TwoAddressSpaceOperations();
            var r2 = second.Run(s2, new RunOptions(Seed: 7));
            Assert.Equal(1, first.Cpu(0).ActiveMm!.Id);
            Assert.Equal(1, second.Cpu(0).ActiveMm!.Id);
            Assert.Equal(1, second.MmsCreated);
            Assert.True(r1.Clean, r1 + " " + string.Join("; ", r1.Errors));
            Assert.Equal(r1.TraceText(), r2.TraceText());
            Assert.Equal(first.Trace.ToString(), second.Trace.ToString());
            var (third, s3) = TwoAddressSpaceOperations();
            Assert.Equal(r1.TraceText(), third.Run(s3, new RunOptions(r1.Schedule)).TraceText());
        }

        [Fact]
        public void Cpus_contending_for_mmap_lock_and_page_table_lock_complete_in_every_schedule()
        {
            var contended = new int[1];
            var results = ScheduleExplorer.PreemptionBounded(() => TwoAddressSpaceOperations(contended), maxPreemptions: 1, maxRuns: 5000).ToList();
            Assert.InRange(results.Count, 20, 4999);
            Assert.All(results, r => Assert.True(r.Clean, $"{r.Outcome} [{r.Schedule}] {r.Message} " + string.Join("; ", r.Errors) + string.Join("; ", r.Violations)));
            // Some schedules had cpu0 wait for cpu1's mmap_lock: those runs went on instead of hanging.
            Assert.True(contended[0] > 0, "cpu0 never found mmap_lock held");
        }
    }
}
