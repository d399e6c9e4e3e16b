using System.Collections.Generic;
using System.Linq;
using Shootdown.Archs.Catalog;
using Shootdown.Explorer;
using Shootdown.Runtime.Tests.MachineTests;
using Shootdown.Simulation;

namespace Shootdown.Runtime.Tests.Explorer
{
    /// <summary>
    /// The debug mode of the access records: every change a step makes to page tables, frame records and TLBs is covered
    /// by a write it recorded, on every catalog architecture and scenario; and a write nobody recorded is caught.
    /// </summary>
    public sealed class AccessAuditTests
    {
        // A few schedules per exploration: the audit checks every step of each, and the steps are what matter.
        private static readonly SearchBounds Audited = new(Preemptions: 1, MaxSystematic: 6, Random: 1, Pct: 1) { AuditAccesses = true };

        public static IEnumerable<object[]> Architectures() => ArchitectureCatalog.Names.Select(n => new object[] { n });

        [Theory]
        [MemberData(nameof(Architectures))]
        public void Every_change_of_every_scenario_step_was_recorded(string arch)
        {
            var ops = ArchitectureCatalog.Find(arch)!;
            var audited = 0;
            foreach (var scenario in RaceScenarios.All.Where(s => s.AppliesTo(ops.Descriptor)))
            {
                foreach (var subject in new[] { ops, ArchitectureOps.Reference })
                {
                    var report = RaceExplorer.Explore(scenario, ops.Descriptor, subject, Audited);
                    Assert.True(report.Errors == 0, $"{arch} {scenario.Name} ({subject.Name}): {report.FirstError?.FirstProblem}");
                    Assert.True(report.Executions >= 2, report.ToString());
                    audited += report.Executions;
                }
            }
            Assert.True(audited > 20, $"{arch}: only {audited} executions audited");
        }

        private static (Machine, TableRef, Scenario) Writer(bool recorded)
        {
            var m = new Machine(Machines.IpiX86, cpus: 2, frames: 64);
            var t = m.Tables.Allocate(0);
            var scenario = new Scenario()
                .On(0, cpu =>
                {
                    if (recorded) PageTables.Write(m, t, 0, 3, PageTables.PageEntry(m, 10, 0));
                    else m.Memory.TableWords(t.Pfn)[3] = PageTables.PageEntry(m, 10, 0); // a store past the machine's accessors
                    m.Scheduling.Point();
                })
                .On(1, cpu => PageTables.Read(m, t, 0, 3));
            return (m, t, scenario);
        }

        [Fact]
        public void A_page_table_store_that_records_nothing_ends_the_run_and_names_the_entry()
        {
            var (m, t, scenario) = Writer(recorded: false);
            var run = m.Run(scenario, new RunOptions { AuditAccesses = true });
            Assert.Equal(RunOutcome.UnrecordedAccess, run.Outcome);
            Assert.Contains($"changed entry 3 of frame {t.Pfn}", run.Message);
            Assert.Contains("cpu0", run.Message);
        }

        [Fact]
        public void The_same_store_through_the_machine_passes_and_without_the_audit_nothing_is_checked()
        {
            var (m, _, scenario) = Writer(recorded: true);
            Assert.Equal(RunOutcome.Completed, m.Run(scenario, new RunOptions { AuditAccesses = true }).Outcome);
            var (m2, _, unrecorded) = Writer(recorded: false);
            Assert.Equal(RunOutcome.Completed, m2.Run(unrecorded, new RunOptions()).Outcome);
        }
    }
}
