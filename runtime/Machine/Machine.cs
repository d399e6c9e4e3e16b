using System;
using System.Threading;

namespace Shootdown.Simulation
{
    /// <summary>
    /// The simulated SMP machine: memory, page tables, CPUs with TLBs and walk caches, IPIs, RCU, the trace and the
    /// violation log, all shaped by one architecture descriptor. With no run in progress every operation is a plain call
    /// on the caller's thread acting as the CPU it names; <see cref="Run"/> and <see cref="RunFreely"/> run a
    /// <see cref="Scenario"/> with one thread per CPU, controlled step by step or free.
    /// </summary>
    public sealed class Machine
    {
        private int _lastMmId;

        /// <summary>Logical time for the contract checks; first, so the TLBs built below can stamp with it.</summary>
        internal LogicalClock Clock { get; } = new();

        /// <summary>A machine of <paramref name="cpus"/> CPUs and <paramref name="frames"/> page frames for <paramref name="descriptor"/>.</summary>
        public Machine(ArchDescriptor descriptor, int cpus = 2, int frames = 4096)
        {
            if (descriptor is null) throw new ArgumentNullException(nameof(descriptor));
            if (cpus < 1 || cpus > 64) throw new ArgumentOutOfRangeException(nameof(cpus), cpus, "1 to 64 CPUs");
            Descriptor = descriptor;
            Geometry = new PageTableGeometry(descriptor);
            SplitPte = descriptor.PteWiderThanWord;
            Trace = new EventTrace();
            Violations = new ViolationLog(Trace);
            Scheduling = new Scheduling(this);
            // A 64-bit PTE can point above 4 GiB, and on a 32-bit word it is two words: put half of memory up there so a
            // torn read really yields a frame that was never mapped.
            Memory = new PhysicalMemory(frames, descriptor.PageSize, Trace, Violations, highMemory: descriptor.PteBits == 64, pteBytes: descriptor.PteBits / 8, tableWords: Geometry.TableWords) { Points = Scheduling, TracksTornLoads = SplitPte };
            Tables = new PageTableAllocator(Memory, Geometry);
            Cpus = new Cpu[cpus];
            for (var i = 0; i < cpus; i++) Cpus[i] = new Cpu(this, i);
            CrossCalls = new CrossCalls(this);
            Shootdown = new TlbShootdown(this);
            Mmu = new Mmu(this);
            Rcu = new Rcu(this);
            Returns = new ReturnGuarantee(this);
            GupAudit = new GupAudit(this);
        }

        /// <summary>The guarantee munmap, madvise and exit give at return (<see cref="ReturnGuarantee"/>).</summary>
        public ReturnGuarantee Returns { get; }

        /// <summary>What a page fast or slow GUP returns must have been (<see cref="GupAudit"/>).</summary>
        public GupAudit GupAudit { get; }

        /// <summary>Table batch objects whose batch page was freed, for the next one.</summary>
        internal SparePool<TableBatch> SpareTableBatches { get; } = new();

        /// <summary>Page batches of finished gathers, for the next gather.</summary>
        internal SparePool<PageBatches> SparePageBatches { get; } = new();

        private readonly SparePool<int[]> _spareGatherSlots = new();

        /// <summary>
        /// An array of <paramref name="length"/> slots for a generated gather's page batches (its bundle, batch pages and
        /// batch frames), reused per machine so that steady-state teardown allocates nothing, as the reference's page
        /// batches are. Per machine rather than <c>ArrayPool.Shared</c>, which the whole process shares, trims under
        /// memory pressure and hands out arrays of other sizes.
        /// </summary>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is not positive.</exception>
        public int[] RentGatherSlots(int length)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
            return _spareGatherSlots.Take(length) ?? new int[length];
        }

        /// <summary>Gives back an array from <see cref="RentGatherSlots"/> that its gather no longer uses.</summary>
        /// <exception cref="ArgumentNullException"><paramref name="slots"/> is null.</exception>
        public void ReturnGatherSlots(int[] slots)
        {
            ArgumentNullException.ThrowIfNull(slots);
            _spareGatherSlots.Give(slots, slots.Length);
        }

        /// <summary>The architecture this machine is.</summary>
        public ArchDescriptor Descriptor { get; }
        /// <summary>Page-table shape.</summary>
        public PageTableGeometry Geometry { get; }
        /// <summary>PTEs are wider than the machine word: a PTE is two word-sized loads and stores.</summary>
        public bool SplitPte { get; }
        /// <summary>The event trace (off until enabled).</summary>
        public EventTrace Trace { get; }
        /// <summary>Broken invariants.</summary>
        public ViolationLog Violations { get; }
        /// <summary>Scheduling points and blocking waits.</summary>
        public Scheduling Scheduling { get; }
        /// <summary>Physical memory.</summary>
        public PhysicalMemory Memory { get; }
        /// <summary>Page-table allocator.</summary>
        public PageTableAllocator Tables { get; }
        /// <summary>The CPUs.</summary>
        public Cpu[] Cpus { get; }
        /// <summary>IPIs (<c>smp_call_function_many</c>).</summary>
        public CrossCalls CrossCalls { get; }
        /// <summary>Cross-CPU TLB invalidation.</summary>
        public TlbShootdown Shootdown { get; }
        /// <summary>Sched-RCU.</summary>
        public Rcu Rcu { get; }

        /// <summary>Translation: TLB lookups and hardware walks.</summary>
        public Mmu Mmu { get; }

        /// <summary>Bugs put back for the mutation suite (docs/mutation.md); <see cref="Fault.None"/> outside it.</summary>
        internal Fault Faults { get; set; }

        /// <summary>True when <paramref name="fault"/> was put back on this machine.</summary>
        internal bool Faulty(Fault fault) => (Faults & fault) != 0;

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
            return pgd.IsNone ? null : new Mm(pgd, Interlocked.Increment(ref _lastMmId));
        }

        /// <summary>Mms created on this machine so far: the id of the last one.</summary>
        public int MmsCreated => Volatile.Read(ref _lastMmId);

        /// <summary>
        /// Runs <paramref name="scenario"/> controlled: one CPU moves at a time, chosen at every scheduling point by
        /// <paramref name="options"/> (schedule, then seed or the default policy). Reproducible: the same machine state,
        /// scenario and schedule give the same trace. Never hangs on a deadlock or an endless run: see
        /// <see cref="RunResult.Outcome"/>.
        /// </summary>
        public RunResult Run(Scenario scenario, RunOptions? options = null)
        {
            if (scenario is null) throw new ArgumentNullException(nameof(scenario));
            scenario.CheckAgainst(this);
            return new ControlledRun(this, scenario, options ?? new RunOptions()).Execute();
        }

        /// <summary>
        /// Runs <paramref name="scenario"/> on real threads, all CPUs at once; a task still running after
        /// <paramref name="timeout"/> ends the run as <see cref="RunOutcome.Hung"/>.
        /// </summary>
        public RunResult RunFreely(Scenario scenario, TimeSpan timeout)
        {
            if (scenario is null) throw new ArgumentNullException(nameof(scenario));
            if (timeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "must be positive");
            scenario.CheckAgainst(this);
            return FreeRun.Execute(this, scenario, timeout);
        }
    }
}
