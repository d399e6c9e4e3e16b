using Shootdown.Simulation;

namespace Shootdown.Explorer.Scenarios
{
    /// <summary>What a CPU whose only business is translating does while another CPU tears down its mappings.</summary>
    internal static class HardwareWalkerLoop
    {
        /// <summary>
        /// A walk in flight of the second target page (when the hardware walks the Linux tables), a speculative walk of the
        /// first (fills the walk cache), then user accesses of the target and the neighbour through the TLB. The start
        /// state already has the TLB and walk cache warm, so one round reaches every kind of stale use.
        /// </summary>
        public static void Run(Cpu cpu, Mm mm, bool neighbour = true)
        {
            var m = cpu.Machine;
            var page = (ulong)m.Geometry.PageSize;
            if (m.Descriptor.HardwareWalksTables)
            {
                Walkers.InFlightWalk(cpu, mm, ScenarioSetup.Target(m) + page);
                m.Mmu.SpeculativeWalk(cpu, mm, ScenarioSetup.Target(m));
            }
            m.Mmu.Access(cpu, mm, ScenarioSetup.Target(m));
            if (neighbour) m.Mmu.Access(cpu, mm, ScenarioSetup.Neighbour(m));
        }

        /// <summary>The lockless walker the descriptor has: fast GUP, else a software TLB refill.</summary>
        public static void Software(ArchitectureOps subject, Cpu cpu, Mm mm, ulong address, int pages)
        {
            if (cpu.Machine.Descriptor.FastGup) ScenarioSetup.GupAndPut(subject, cpu, mm, address, pages);
            else if (cpu.Machine.Descriptor.SoftwareTlbRefill) Walkers.SoftwareRefill(cpu, mm, address);
        }
    }
}
