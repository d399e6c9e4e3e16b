namespace Shootdown.Runtime.Tests.Generated
{
    /// <summary>
    /// An x86-64-like descriptor without ARCH_HAS_PTE_SPECIAL (no catalog architecture lacks it): fast GUP may then take
    /// only huge leaves. Legal; the analyzer notes it (SHD007).
    /// </summary>
    // The slow-GUP fallback SHD007 warns about is exactly what these tests exercise.
#pragma warning disable SHD007
    [Architecture("test-no-pte-special")]
    [TlbInvalidation(Invalidation.Ipi)]
    [PageTables(4)]
    [PteFormat(64, 64)]
    [HardwareWalker(WalkerKind.CachesUpperLevels)]
    [Gather(GatherOptions.RcuTableFree)]
    [FastGup]
#pragma warning restore SHD007
    public static partial class NoPteSpecialArchitecture
    {
    }
}
