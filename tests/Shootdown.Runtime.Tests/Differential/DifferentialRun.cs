using System;
using System.Collections.Generic;
using System.Linq;
using Shootdown.Simulation;

namespace Shootdown.Runtime.Tests.Differential
{
    /// <summary>What one differential run left: the trace as comparable lines, and whether it ended cleanly.</summary>
    /// <param name="Events">Every compared event, then one line per controlled run with its outcome and errors.</param>
    /// <param name="Problems">Why the run is not clean (incomplete run, task error, violation); empty when clean.</param>
    internal sealed record RunTrace(IReadOnlyList<string> Events, IReadOnlyList<string> Problems);

    /// <summary>
    /// One differential run: a fresh two-CPU machine, cpu0 runs an <see cref="OperationProgram"/> while cpu1 touches pages
    /// and pins them with lockless fast GUP, both under the controlled scheduler with a seed; then cpu0 alone runs
    /// <c>exit_mmap</c>, and every RCU callback runs.
    /// </summary>
    internal static class DifferentialRun
    {
        public const int Steps = 40;
        private const int Touches = 120;

        /// <summary>Runs the program of <paramref name="seed"/> on <paramref name="d"/> with <paramref name="ops"/>: every event counts.</summary>
        public static RunTrace Execute(ArchDescriptor d, IKernelOps ops, int seed)
        {
            var m = new Machine(d, cpus: 2, frames: 8192);
            var mm = m.CreateMm() ?? throw new InvalidOperationException("no frame for a PGD");
            foreach (var cpu in m.Cpus) cpu.SwitchTo(mm);
            var layout = new AddressLayout(m.Geometry);
            var program = new OperationProgram(m, mm, ops, layout, seed);
            m.Trace.Enabled = true;
            var outcomes = new List<(string Name, RunResult Result)>();

            var work = new Scenario()
                .On(0, cpu => program.Run(cpu, Steps))
                .On(1, cpu => Toucher(cpu, mm, ops, layout, seed));
            outcomes.Add(("operations", m.Run(work, new RunOptions(Seed: seed, MaxSteps: 5_000_000))));
            outcomes.Add(("exit_mmap", m.Run(new Scenario().On(0, cpu => ops.ExitMmap(cpu, mm)), new RunOptions(Seed: seed, MaxSteps: 5_000_000))));
            var quiet = m.Rcu.Quiesce();

            var events = m.Trace.Snapshot().Select(e => e.ToString()).ToList();
            var problems = new List<string>();
            foreach (var (name, result) in outcomes)
            {
                var errors = string.Join("; ", result.Errors.Select(e => e.GetType().Name + ": " + e.Message));
                events.Add($"[{name}: {result.Outcome} {result.Message} {errors}]");
                if (result.Outcome != RunOutcome.Completed) problems.Add($"{name} ended {result.Outcome}: {result.Message} {errors}");
            }
            if (!quiet) problems.Add("RCU callbacks still pending after exit");
            problems.AddRange(m.Violations.All.Select(v => "violation: " + v));
            return new RunTrace(events, problems);
        }

        // cpu1: a user thread of the same mm touching pages (TLB and walk-cache fills) and, now and then, pinning a few
        // with the lockless walk only (the slow path would take the mmap lock cpu0 may hold).
        private static void Toucher(Cpu cpu, Mm mm, IKernelOps ops, AddressLayout layout, int seed)
        {
            var random = new Random(seed ^ 0x5bd1e995);
            Span<int> pinned = stackalloc int[8];
            for (var i = 0; i < Touches; i++)
            {
                var slot = random.Next(layout.Slots);
                var address = layout.SlotBase(slot) + (ulong)random.Next(Math.Min(64, layout.PagesPerPmd)) * layout.Page;
                if (i % 8 == 7)
                {
                    var n = 1 + random.Next(pinned.Length);
                    var got = ops.GupFast(cpu, mm, address, random.Next(2) == 0, pinned[..n]);
                    for (var p = 0; p < got; p++) cpu.Machine.Memory.Put(pinned[p], cpu.Id);
                }
                else if (i % 5 == 4)
                {
                    cpu.Machine.Mmu.SpeculativeWalk(cpu, mm, address);
                }
                else
                {
                    cpu.Machine.Mmu.Access(cpu, mm, address);
                }
            }
        }
    }
}
