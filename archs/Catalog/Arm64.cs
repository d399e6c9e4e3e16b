namespace Shootdown.Archs.Catalog
{
    /// <summary>
    /// arm64: broadcast invalidation (<c>TLBI ...IS</c>), 4 levels of 4 KiB tables, hardware walker with walk caches,
    /// fast GUP.
    /// </summary>
    /// <remarks>
    /// arch/arm64/Kconfig: <c>select MMU_GATHER_RCU_TABLE_FREE</c> (broadcast TLBI waits for no interrupts-off walker),
    /// <c>select HAVE_GUP_FAST</c>, <c>select ARCH_HAS_PTE_SPECIAL</c>; <c>ARM64_4K_PAGES</c> with 48-bit VA: 4 levels.
    /// </remarks>
    [Architecture("arm64")]
    [TlbInvalidation(Invalidation.HardwareBroadcast)]
    [PageTables(4)]
    [PteFormat(64, 64, SpecialBit = true)]
    [HardwareWalker(WalkerKind.CachesUpperLevels)]
    [Gather(GatherOptions.RcuTableFree)]
    [FastGup]
    public static partial class Arm64
    {
    }
}
