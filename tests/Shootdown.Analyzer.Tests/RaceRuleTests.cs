using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Shootdown.Analyzer.Tests.Harness;
using static Shootdown.Analyzer.Tests.Harness.Descriptors;

namespace Shootdown.Analyzer.Tests
{
    /// <summary>The semantic rules SHD001-SHD008: each race is reported on the argument to change, and a safe twin is quiet.</summary>
    public sealed class RaceRuleTests
    {
        [Fact]
        public Task Shd001_fragments_without_table_free_sit_on_fragments_per_page() => AnalyzerCheck.VerifyAsync(Class(
            pageTables: "[PageTables(4, {|SHD001:FragmentsPerPage = 2|})]",
            gather: null));

        [Fact]
        public Task Shd001_pmd_fragments_without_table_free() => AnalyzerCheck.VerifyAsync(Class(
            // pmd_fragment_alloc'd PMD tables share a page as PTE fragments do: tlb_remove_page would free the siblings.
            pageTables: "[PageTables(4, PageSize = 65536, {|SHD001:PmdFragmentsPerPage = 16|})]",
            gather: "[Gather(GatherOptions.None)]"));

        [Fact]
        public Task Shd001_fragments_with_table_free_are_safe() => AnalyzerCheck.VerifyAsync(Class(
            pageTables: "[PageTables(4, FragmentsPerPage = 2)]",
            gather: "[Gather(GatherOptions.TableFree)]"));

        [Fact]
        public Task Shd002_fast_gup_with_broadcast_and_no_rcu_sits_on_the_invalidation_mode() => AnalyzerCheck.VerifyAsync(Class(
            invalidation: "[TlbInvalidation({|SHD002:Invalidation.HardwareBroadcast|})]",
            fastGup: "[FastGup]"));

        [Fact]
        public Task Shd002_software_tlb_refill_with_broadcast_and_no_rcu_is_the_same_race() => AnalyzerCheck.VerifyAsync(Class(
            invalidation: "[TlbInvalidation({|SHD002:Invalidation.HardwareBroadcast|})]",
            refill: "[SoftwareTlbRefill]"));

        [Fact]
        public Task Shd002_broadcast_with_rcu_table_free_is_safe() => AnalyzerCheck.VerifyAsync(Class(
            invalidation: "[TlbInvalidation(Invalidation.HardwareBroadcast)]",
            gather: "[Gather(GatherOptions.RcuTableFree)]",
            fastGup: "[FastGup]"));

        [Fact]
        public Task Shd003_no_table_invalidate_with_a_walker_sits_on_the_options() => AnalyzerCheck.VerifyAsync(Class(
            gather: "[Gather({|SHD003:GatherOptions.RcuTableFree | GatherOptions.NoTableInvalidate|})]",
            fastGup: "[FastGup]"));

        [Fact]
        public Task Shd003_no_table_invalidate_without_a_hardware_walker_is_its_intended_use() => AnalyzerCheck.VerifyAsync(Class(
            walker: null,
            gather: "[Gather(GatherOptions.RcuTableFree | GatherOptions.NoTableInvalidate)]",
            fastGup: "[FastGup]"));

        [Fact]
        public Task Shd004_no_gather_without_synchronous_clear_sits_on_the_options() => AnalyzerCheck.VerifyAsync(Class(
            gather: "[Gather({|SHD004:GatherOptions.TableFree | GatherOptions.NoGather|})]"));

        [Fact]
        public Task Shd004_no_gather_with_synchronous_clear_is_safe() => AnalyzerCheck.VerifyAsync(Class(
            invalidation: "[TlbInvalidation(Invalidation.HardwareBroadcast, SynchronousOnClear = true)]",
            gather: "[Gather(GatherOptions.TableFree | GatherOptions.NoGather)]"));

        [Fact]
        public Task Shd005_single_load_of_a_wide_pte_sits_on_the_attribute_when_the_read_is_implicit() => AnalyzerCheck.VerifyAsync(Class(
            pageTables: "[PageTables(3)]", pteFormat: "[PteFormat(64, 32, SpecialBit = true)]",
            fastGup: "[{|SHD005:FastGup|}]"));

        [Fact]
        public Task Shd005_single_load_of_a_wide_pte_sits_on_the_written_read() => AnalyzerCheck.VerifyAsync(Class(
            pageTables: "[PageTables(3)]", pteFormat: "[PteFormat(64, 32, SpecialBit = true)]",
            fastGup: "[FastGup({|SHD005:read: PteRead.SingleLoad|})]"));

        [Fact]
        public Task Shd005_single_load_of_a_wide_pte_is_safe_where_a_64_bit_load_is_atomic() => AnalyzerCheck.VerifyAsync(Class(
            // ARM LPAE: a 64-bit aligned LDRD is single-copy atomic on a 32-bit machine.
            pageTables: "[PageTables(3)]", pteFormat: "[PteFormat(64, 32, SpecialBit = true, AtomicLoadBits = 64)]",
            fastGup: "[FastGup]"));

        [Fact]
        public Task Shd008_split_read_where_a_64_bit_load_is_atomic_is_a_note() => AnalyzerCheck.VerifyAsync(Class(
            pageTables: "[PageTables(3)]", pteFormat: "[PteFormat(64, 32, SpecialBit = true, AtomicLoadBits = 64)]",
            fastGup: "[FastGup({|SHD008:PteRead.LowHighSplit|})]"));

        [Fact]
        public Task Shd005_split_read_of_a_wide_pte_is_safe() => AnalyzerCheck.VerifyAsync(Class(
            pageTables: "[PageTables(3)]", pteFormat: "[PteFormat(64, 32, SpecialBit = true)]",
            fastGup: "[FastGup(PteRead.LowHighSplit)]"));

        [Fact]
        public Task Shd006_rcu_table_free_with_ipi_and_no_walker_is_a_note() => AnalyzerCheck.VerifyAsync(Class(
            gather: "[Gather({|SHD006:GatherOptions.RcuTableFree|})]"));

        [Fact]
        public Task Shd006_rcu_table_free_with_ipi_and_fast_gup_is_not_pointless() => AnalyzerCheck.VerifyAsync(Class(
            gather: "[Gather(GatherOptions.RcuTableFree)]",
            fastGup: "[FastGup]"));

        [Theory]
        [InlineData("LinuxEra.V6_1", "in Linux v6.1 (LinuxEra.V6_1)", "waits for an IPI to every CPU (tlb_remove_table_sync_one)", false)]
        [InlineData("LinuxEra.Stable", "in current stable Linux (LinuxEra.Stable)", "goes through call_rcu", true)]
        [InlineData("LinuxEra.Next", "in linux-next (LinuxEra.Next)", "goes through call_rcu", true)]
        public async Task Shd006_message_is_the_one_of_the_era_the_descriptor_names(string era, string named, string loneTable, bool ptReclaim)
        {
            // The attribute's era reaches DescriptorRules through the analyzer: each era words the cost, and from the
            // stable kernels on the option also turns on CONFIG_PT_RECLAIM, which the message must not call useless.
            var result = await Pipeline.RunAsync(new[] { new SourceFile("/src/Test0.cs", Class(
                architecture: "[Architecture(\"demo\", Linux = " + era + ")]", gather: "[Gather(GatherOptions.RcuTableFree)]")) });
            var message = Assert.Single(result.Visible, d => d.Id == "SHD006").GetMessage(System.Globalization.CultureInfo.InvariantCulture);
            Assert.Contains(named, message, System.StringComparison.Ordinal);
            Assert.Contains(loneTable, message, System.StringComparison.Ordinal);
            Assert.Equal(ptReclaim, message.Contains("CONFIG_PT_RECLAIM", System.StringComparison.Ordinal));
            Assert.Contains("GatherOptions.TableFree keeps the table batch", message, System.StringComparison.Ordinal);
        }

        [Fact]
        public void Shd006_without_pt_reclaim_names_the_grace_period_of_a_lone_table_or_its_absence_in_linux_next()
        {
            // HAVE_ARCH_TLB_REMOVE_TABLE keeps PT_RECLAIM off: stable waits in tlb_remove_table_sync_rcu, linux-next lets
            // the invalidate's IPI be the sync.
            var d = new ArchDescriptor("demo", Invalidation.Ipi, false, 4, 4096, 1, 64, 64, true, WalkerKind.CachesUpperLevels, false,
                GatherOptions.RcuTableFree, false, PteRead.SingleLoad) { ArchTlbRemoveTable = true };
            string Message(LinuxEra era) => Assert.Single(DescriptorRules.Check(d with { Linux = era }), f => f.Id == "SHD006").Message;
            Assert.Contains("waits for a grace period (tlb_remove_table_sync_rcu)", Message(LinuxEra.Stable), System.StringComparison.Ordinal);
            Assert.Contains("is freed at once", Message(LinuxEra.Next), System.StringComparison.Ordinal);
            Assert.DoesNotContain("CONFIG_PT_RECLAIM", Message(LinuxEra.Stable), System.StringComparison.Ordinal);
        }

        [Fact]
        public Task Shd007_fast_gup_without_a_special_bit_sits_on_fast_gup() => AnalyzerCheck.VerifyAsync(Class(
            pteFormat: "[PteFormat(64, 64)]",
            fastGup: "[{|SHD007:FastGup|}]"));

        [Fact]
        public Task Shd007_fast_gup_with_a_special_bit_is_quiet() => AnalyzerCheck.VerifyAsync(Class(
            pteFormat: "[PteFormat(64, 64, SpecialBit = true)]",
            fastGup: "[FastGup]"));

        [Fact]
        public Task Shd008_split_read_of_a_word_sized_pte_is_a_note() => AnalyzerCheck.VerifyAsync(Class(
            fastGup: "[FastGup({|SHD008:PteRead.LowHighSplit|})]"));

        [Fact]
        public Task Shd008_single_load_of_a_word_sized_pte_is_quiet() => AnalyzerCheck.VerifyAsync(Class(
            fastGup: "[FastGup(PteRead.SingleLoad)]"));

        [Fact]
        public Task Severities_follow_the_rule_table() => new AnalyzerCheck(
            Class(gather: "[Gather({|#0:GatherOptions.RcuTableFree|})]", declaration: "public static partial class A"),
            Class(architecture: "[Architecture(\"b\")]", pteFormat: "[PteFormat(64, 64)]", fastGup: "[{|#1:FastGup|}]",
                declaration: "public static partial class B"),
            Class(architecture: "[Architecture(\"c\")]", pageTables: "[PageTables(4, {|#2:FragmentsPerPage = 4|})]", gather: null,
                declaration: "public static partial class C"))
        {
            ExpectedDiagnostics =
            {
                new DiagnosticResult("SHD006", DiagnosticSeverity.Info).WithLocation(0),
                new DiagnosticResult("SHD007", DiagnosticSeverity.Warning).WithLocation(1),
                new DiagnosticResult("SHD001", DiagnosticSeverity.Error).WithLocation(2),
            },
        }.RunAsync();

        [Fact]
        public async Task Race_messages_name_the_race_and_the_fix()
        {
            // Where SHD002 sits is Shd002_fast_gup_with_broadcast_and_no_rcu_sits_on_the_invalidation_mode; this is its text.
            var result = await Pipeline.RunAsync(new[] { new SourceFile("/src/Test0.cs", Class(
                invalidation: "[TlbInvalidation(Invalidation.HardwareBroadcast)]",
                fastGup: "[FastGup]")) });
            var shd002 = Assert.Single(result.Visible, d => d.Id == "SHD002");
            var message = shd002.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
            Assert.Contains("interrupts off", message, System.StringComparison.Ordinal);
            Assert.Contains("GatherOptions.RcuTableFree", message, System.StringComparison.Ordinal);
            Assert.EndsWith("docs/diagnostics/SHD002.md", shd002.Descriptor.HelpLinkUri, System.StringComparison.Ordinal);
        }
    }
}
