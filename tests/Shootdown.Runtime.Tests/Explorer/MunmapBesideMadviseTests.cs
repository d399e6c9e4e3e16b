using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Shootdown.Archs.Catalog;
using Shootdown.Explorer;
using Shootdown.Explorer.Scenarios;
using Shootdown.Runtime.Tests.Differential;
using Shootdown.Simulation;

namespace Shootdown.Runtime.Tests.Explorer
{
    /// <summary>
    /// munmap tears down under the downgraded mmap_lock, so a MADV_DONTNEED gather can be in flight when its gather
    /// finishes: the nested finish of 7a30df49f63a, with tables freed in the finishing gather.
    /// </summary>
    public sealed class MunmapBesideMadviseTests
    {
        public static IEnumerable<object[]> Subjects() => new[]
        {
            new object[] { "arm64", true },
            new object[] { "arm64", false },
            new object[] { "x86-64", true },
        };

        [Theory]
        [MemberData(nameof(Subjects))]
        public void Munmap_can_finish_its_gather_while_madvise_has_one_in_flight_and_then_flushes_the_whole_mm_with_the_walk_caches(string arch, bool generated)
        {
            var ops = ArchitectureCatalog.Find(arch)!;
            var subject = generated ? ops : ArchitectureOps.Reference;
            var scenario = new NestedGathers(munmap: true);
            var nested = 0;
            var runs = 0;
            var taskSize = 0UL;
            foreach (var r in ScheduleExplorer.PreemptionBounded(() =>
            {
                var p = scenario.Prepare(ops.Descriptor, subject);
                p.Machine.Trace.Enabled = true;
                taskSize = p.Machine.Geometry.TaskSize;
                return (p.Machine, p.Scenario);
            }, maxPreemptions: 2, maxRuns: 400))
            {
                runs++;
                Assert.True(r.Clean, r + string.Join("; ", r.Errors.Select(e => e.Message)));
                Assert.Empty(r.Violations);
                var events = r.Trace.ToList();
                var munmapStart = events.FindIndex(e => e.Kind == EventKind.GatherStart && e.Cpu == 0);
                var munmapFinish = events.FindIndex(e => e.Kind == EventKind.GatherFinish && e.Cpu == 0);
                // cpu0 runs only the munmap, so its last flush before finishing is tlb_finish_mmu's.
                var last = events.FindLastIndex(munmapFinish, e => e.Cpu == 0 && e.Kind is EventKind.LocalFlush or EventKind.BroadcastFlush);
                var flush = events[last];
                if ((flush.A, flush.B) != (0UL, taskSize)) continue; // a range flush: no other gather was in flight
                // A non-fullmm gather flushes the whole mm only when mm_tlb_flush_nested said another one is in flight,
                // and then keeps freed_tables: this gather freed the target's PTE table.
                nested++;
                Assert.Equal(1UL, flush.C);
                Assert.Contains(events.Take(last), e => e.Kind == EventKind.GatherStart && e.Cpu == 1);
                Assert.Contains(events.Skip(munmapStart).Take(last - munmapStart), e => e.Kind is EventKind.TableBatched or EventKind.TableFreed);
            }
            Assert.True(nested > 0, $"{runs} schedules and munmap never finished beside a madvise gather");
        }
        [Fact]
        public void A_gather_that_drops_freed_tables_when_nested_as_Linux_did_before_7a30df49f63a_is_caught()
        {
            // The generated arm64 gather, with its nested finish turned back into the pre-fix one: __tlb_reset_range()
            // forgot freed_tables, so the final flush is last-level only (TLBI VALE) though munmap freed a PTE table.
            var mutated = 0;
            var compiled = DescriptorCompiler.Compile(new[] { Arm64.Descriptor }, text =>
            {
                var changed = Regex.Replace(text, @"_fullmm = true;\s*ResetRange\(\);\s*_freedTables = true;", "_freedTables = false;");
                if (changed != text) mutated++;
                return changed;
            });
            Assert.Equal(1, mutated);
            var broken = compiled[0].Ops;
            var scenario = new NestedGathers(munmap: true);
            var report = RaceExplorer.Explore(scenario, Arm64.Descriptor, broken, new SearchBounds(Preemptions: 2, MaxSystematic: 5000, Random: 8, Pct: 8));
            Assert.False(report.Clean, report.ToString());
            Assert.Contains("ReadFreedTable", report.ToString(), System.StringComparison.Ordinal);
            // Two MADV_DONTNEEDs free no tables, so nothing reads a freed table there: it is munmap's downgrade that
            // exposes the lost freed_tables. This mutant also keeps only the gather's own range (Linux re-added
            // tlb_finish_mmu's [start, end)), so a madvise that found the PTEs cleared returns with another CPU's TLB
            // still mapping them, which the machine's return guarantee reports (99baac21e458).
            var twoMadvise = RaceExplorer.Explore(new NestedGathers(munmap: false), Arm64.Descriptor, broken, new SearchBounds(Preemptions: 2, MaxSystematic: 5000, Random: 8, Pct: 8)).ToString();
            Assert.DoesNotContain("ReadFreedTable", twoMadvise, System.StringComparison.Ordinal);
            Assert.Contains("StaleAfterReturn", twoMadvise, System.StringComparison.Ordinal);
        }
    }
}