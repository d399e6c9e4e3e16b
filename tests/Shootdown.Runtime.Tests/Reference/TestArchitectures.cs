namespace Shootdown.Runtime.Tests.Reference
{
    /// <summary>MMU_GATHER_NO_RANGE + PAGE_SIZE + NO_FLUSH_CACHE, tables through the page batch (no TABLE_FREE).</summary>
    [Architecture("test-norange")]
    [TlbInvalidation(Invalidation.Ipi)]
    [PageTables(4)]
    [PteFormat(64, 64, SpecialBit = true)]
    [HardwareWalker(WalkerKind.CachesUpperLevels)]
    [Gather(GatherOptions.NoRange | GatherOptions.PageSize | GatherOptions.NoFlushCache)]
    public static partial class TestNoRange
    {
    }

    /// <summary>s390-like: 2 KiB PTE fragments, IPTE on clear, RCU table freeing, MMU_GATHER_NO_GATHER.</summary>
    [Architecture("test-s390")]
    [TlbInvalidation(Invalidation.HardwareBroadcast, SynchronousOnClear = true)]
    [PageTables(4, FragmentsPerPage = 2)]
    [PteFormat(64, 64, SpecialBit = true)]
    [HardwareWalker(WalkerKind.WalksTables)]
    [Gather(GatherOptions.RcuTableFree | GatherOptions.NoGather)]
    [FastGup]
    public static partial class TestS390
    {
    }

    /// <summary>IPI invalidation, TABLE_FREE without RCU, MERGE_VMAS.</summary>
    [Architecture("test-merge")]
    [TlbInvalidation(Invalidation.Ipi)]
    [PageTables(4)]
    [PteFormat(64, 64, SpecialBit = true)]
    [HardwareWalker(WalkerKind.CachesUpperLevels)]
    [Gather(GatherOptions.TableFree | GatherOptions.MergeVmas | GatherOptions.PageSize)]
    [FastGup]
    public static partial class TestMerge
    {
    }
}
