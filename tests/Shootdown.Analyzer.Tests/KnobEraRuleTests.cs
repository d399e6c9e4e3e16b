using System.Threading.Tasks;
using Shootdown.Analyzer.Tests.Harness;
using static Shootdown.Analyzer.Tests.Harness.Descriptors;

namespace Shootdown.Analyzer.Tests
{
    /// <summary>SHD117: a knob written for a kernel the descriptor's Linux era is not (KnobEras, docs/linux-eras.md).</summary>
    public sealed class KnobEraRuleTests
    {
        private const string PowerpcGather = "GatherOptions.RcuTableFree | GatherOptions.MergeVmas | GatherOptions.PageSize";

        [Fact]
        public Task Shd117_arch_tlb_remove_table_does_not_exist_in_v6_1() => AnalyzerCheck.VerifyAsync(Class(
            architecture: "[Architecture(\"demo\", Linux = LinuxEra.V6_1)]",
            invalidation: "[TlbInvalidation(Invalidation.HardwareBroadcast)]",
            gather: "[Gather(" + PowerpcGather + ", {|SHD117:ArchTlbRemoveTable = true|})]",
            fastGup: "[FastGup]"));

        [Theory]
        [InlineData("")]
        [InlineData(", Linux = LinuxEra.Stable")]
        [InlineData(", Linux = LinuxEra.Next")]
        public Task Shd117_a_descriptor_for_current_kernels_is_accepted_on_stable_and_linux_next(string era) => AnalyzerCheck.VerifyAsync(Class(
            architecture: "[Architecture(\"demo\"" + era + ")]",
            invalidation: "[TlbInvalidation(Invalidation.HardwareBroadcast)]",
            pageTables: "[PageTables(4, PageSize = 65536, FragmentsPerPage = 256, PmdFragmentsPerPage = 16, PtrsPerPud = 512)]",
            gather: "[Gather(" + PowerpcGather + ", ArchTlbRemoveTable = true)]",
            fastGup: "[FastGup]"));

        [Fact]
        public Task Shd117_a_knob_at_its_default_is_not_reported_in_v6_1() => AnalyzerCheck.VerifyAsync(Class(
            architecture: "[Architecture(\"demo\", Linux = LinuxEra.V6_1)]",
            invalidation: "[TlbInvalidation(Invalidation.HardwareBroadcast)]",
            gather: "[Gather(" + PowerpcGather + ", ArchTlbRemoveTable = false)]",
            fastGup: "[FastGup]"));
    }
}
