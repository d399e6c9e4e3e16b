using System;

namespace Shootdown.Simulation
{
    /// <summary>
    /// The simulated SMP machine: memory, page tables, CPUs with TLBs and walk caches, the trace and the violation log,
    /// all shaped by one architecture descriptor.
    /// </summary>
    public sealed class Machine
    {
        /// <summary>A machine of <paramref name="cpus"/> CPUs and <paramref name="frames"/> page frames for <paramref name="descriptor"/>.</summary>
        public Machine(ArchDescriptor descriptor, int cpus = 2, int frames = 4096)
        {
            if (descriptor is null) throw new ArgumentNullException(nameof(descriptor));
            if (cpus < 1 || cpus > 64) throw new ArgumentOutOfRangeException(nameof(cpus), cpus, "1 to 64 CPUs");
            Descriptor = descriptor;
            Geometry = new PageTableGeometry(descriptor);
            Trace = new EventTrace();
            Violations = new ViolationLog(Trace);
            Memory = new PhysicalMemory(frames, descriptor.PageSize, Trace, Violations);
            Tables = new PageTableAllocator(Memory, Geometry);
            Cpus = new Cpu[cpus];
            for (var i = 0; i < cpus; i++) Cpus[i] = new Cpu(this, i);
            Shootdown = new TlbShootdown(this);
            Mmu = new Mmu(this);
            Rcu = new Rcu(this);
        }

        /// <summary>The architecture this machine is.</summary>
        public ArchDescriptor Descriptor { get; }
        /// <summary>Page-table shape.</summary>
        public PageTableGeometry Geometry { get; }
        /// <summary>The event trace (off until enabled).</summary>
        public EventTrace Trace { get; }
        /// <summary>Broken invariants.</summary>
        public ViolationLog Violations { get; }
        /// <summary>Physical memory.</summary>
        public PhysicalMemory Memory { get; }
        /// <summary>Page-table allocator.</summary>
        public PageTableAllocator Tables { get; }
        /// <summary>The CPUs.</summary>
        public Cpu[] Cpus { get; }
        /// <summary>Cross-CPU TLB invalidation.</summary>
        public TlbShootdown Shootdown { get; }
        /// <summary>Sched-RCU.</summary>
        public Rcu Rcu { get; }

        /// <summary>Translation: TLB lookups and hardware walks.</summary>
        public Mmu Mmu { get; }

        /// <summary>The CPU numbered <paramref name="id"/>.</summary>
        public Cpu Cpu(int id)
        {
            if ((uint)id >= (uint)Cpus.Length) throw new ArgumentOutOfRangeException(nameof(id), id, $"no cpu{id}: this machine has {Cpus.Length}");
            return Cpus[id];
        }

        /// <summary>A new, empty address space (<c>mm_alloc</c> + <c>pgd_alloc</c>); null when no frame is left.</summary>
        public Mm? CreateMm(int cpu = 0)
        {
            var pgd = Tables.Allocate(Geometry.Levels - 1, cpu);
            return pgd.IsNone ? null : new Mm(pgd);
        }
    }
}
