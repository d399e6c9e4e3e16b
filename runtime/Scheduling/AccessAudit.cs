using System;
using System.Collections.Generic;

namespace Shootdown.Simulation
{
    /// <summary>
    /// The debug mode of the explorer's access records (<see cref="RunOptions.AuditAccesses"/>): after every step it compares
    /// the page-table words, the frame records (<c>struct page</c>: use, counts, incarnation) and every CPU's TLB and walk
    /// cache with what they were before the step, and each change must be covered by a write the step recorded
    /// (<see cref="SharedObject.Overlap"/>; an entry's change also by a write of its whole frame, which every access to the
    /// entry reads). A change nobody recorded is a dependency partial-order reduction cannot see,
    /// so it would prune schedules that differ; the run ends with <see cref="RunOutcome.UnrecordedAccess"/> naming it.
    /// Reads leave no trace to compare, so they are recorded at the same leaf accessors as the writes and covered by the
    /// differential test of DPOR against the exhaustive DFS instead.
    /// </summary>
    internal sealed class AccessAudit
    {
        private readonly Machine _m;
        private ulong[]?[] _words;
        private PageFrame[] _frames;
        private readonly long[] _tlbs;

        public AccessAudit(Machine machine)
        {
            _m = machine;
            _words = Array.Empty<ulong[]?>();
            _frames = Array.Empty<PageFrame>();
            _tlbs = new long[machine.Cpus.Length * 2];
            Snapshot();
        }

        /// <summary>The first change step <paramref name="step"/> of <paramref name="log"/> made without recording a write, or null; then takes the new state as the base.</summary>
        public string? Check(StepLog log, int step)
        {
            var problem = FirstUncovered(log, step);
            Snapshot();
            return problem;
        }

        private string? FirstUncovered(StepLog log, int step)
        {
            var tables = _m.Memory.Tables;
            for (var pfn = 0; pfn < tables.Length; pfn++)
            {
                var now = tables[pfn];
                var was = _words[pfn];
                if (now is null) continue;
                for (var i = 0; i < now.Length; i++)
                {
                    var before = was is null ? 0UL : was[i];
                    // Every entry access also reads its frame (Scheduling.TouchEntry), so a write of the whole frame
                    // (a free poisoning it, an allocation clearing it) orders the change against every reader too.
                    if (now[i] != before && !Covered(log, step, SharedObject.Entry(pfn, i)) && !Covered(log, step, SharedObject.Frame(pfn)))
                        return $"{Who(log, step)} changed entry {i} of frame {pfn} (0x{before:x} to 0x{now[i]:x}) without recording a write";
                }
            }
            var frames = _m.Memory.Frames;
            for (var pfn = 0; pfn < frames.Length; pfn++)
            {
                if (!Same(frames[pfn], _frames[pfn]) && !Covered(log, step, SharedObject.Frame(pfn)))
                    return $"{Who(log, step)} changed the record of frame {pfn} ({Describe(_frames[pfn])} to {Describe(frames[pfn])}) without recording a write";
            }
            for (var cpu = 0; cpu < _m.Cpus.Length; cpu++)
            {
                if ((_m.Cpus[cpu].Tlb.Fingerprint() != _tlbs[2 * cpu] || _m.Cpus[cpu].WalkCache.Fingerprint() != _tlbs[2 * cpu + 1])
                    && !Covered(log, step, SharedObject.Tlb(cpu)))
                    return $"{Who(log, step)} changed the TLB or walk cache of cpu{cpu} without recording a write";
            }
            return null;
        }

        private static string Who(StepLog log, int step) => $"step {step} (cpu{log[step].Cpu})";

        private static bool Covered(StepLog log, int step, long key)
        {
            var keys = log.Keys(step);
            var writes = log.Writes(step);
            for (var i = 0; i < keys.Length; i++)
            {
                if (writes[i] && SharedObject.Overlap(keys[i], key)) return true;
            }
            return false;
        }

        private static bool Same(in PageFrame a, in PageFrame b) =>
            a.Use == b.Use && a.Taken == b.Taken && a.Put == b.Put && a.MapCount == b.MapCount && a.Incarnation == b.Incarnation
            && a.Order == b.Order && a.Head == b.Head;

        private static string Describe(in PageFrame f) => $"{f.Use}, ref {f.RefCount}, map {f.MapCount}, incarnation {f.Incarnation}";

        private void Snapshot()
        {
            var tables = _m.Memory.Tables;
            if (_words.Length != tables.Length) _words = new ulong[]?[tables.Length];
            for (var pfn = 0; pfn < tables.Length; pfn++)
            {
                var now = tables[pfn];
                if (now is null) continue;
                var copy = _words[pfn] ??= new ulong[now.Length];
                Array.Copy(now, copy, now.Length);
            }
            var frames = _m.Memory.Frames;
            if (_frames.Length != frames.Length) _frames = new PageFrame[frames.Length];
            Array.Copy(frames, _frames, frames.Length);
            for (var cpu = 0; cpu < _m.Cpus.Length; cpu++)
            {
                _tlbs[2 * cpu] = _m.Cpus[cpu].Tlb.Fingerprint();
                _tlbs[2 * cpu + 1] = _m.Cpus[cpu].WalkCache.Fingerprint();
            }
        }
    }
}
