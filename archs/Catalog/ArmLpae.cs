namespace Shootdown.Archs.Catalog
{
    /// <summary>
    /// 32-bit ARM with <c>ARM_LPAE</c> (Cortex-A15 and later, SMP): broadcast invalidation, 3 levels of 4 KiB tables with
    /// 64-bit entries on a 32-bit machine, hardware walker with walk caches, fast GUP.
    /// </summary>
    /// <remarks>
    /// <para>arch/arm/Kconfig, <c>config ARM</c>: <c>select HAVE_GUP_FAST if ARM_LPAE</c>,
    /// <c>select ARCH_HAS_PTE_SPECIAL if ARM_LPAE</c>, <c>select MMU_GATHER_RCU_TABLE_FREE if SMP &amp;&amp; ARM_LPAE</c>
    /// (ARMv7 MP TLB maintenance is broadcast in hardware, so fast GUP needs RCU). No <c>MMU_GATHER_*</c> vma options.
    /// <c>config PGTABLE_LEVELS</c>: <c>default 3 if ARM_LPAE</c>.</para>
    /// <para>ARM does not select <c>GUP_GET_PXX_LOW_HIGH</c>: LPAE makes a 64-bit aligned <c>LDRD</c>/<c>STRD</c> single-copy
    /// atomic (ARM ARM, "Large Physical Address Extension"), so <c>ptep_get_lockless</c> is one <c>READ_ONCE</c> of the
    /// 64-bit PTE and <c>set_pte</c> one store. <c>AtomicLoadBits = 64</c> says so; the 32-bit word still sizes the batches
    /// (<c>MAX_GATHER_BATCH</c> 1021).</para>
    /// </remarks>
    [Architecture("arm-lpae")]
    [TlbInvalidation(Invalidation.HardwareBroadcast)]
    [PageTables(3)]
    [PteFormat(64, 32, SpecialBit = true, AtomicLoadBits = 64)]
    [HardwareWalker(WalkerKind.CachesUpperLevels)]
    [Gather(GatherOptions.RcuTableFree)]
    [FastGup]
    public static partial class ArmLpae
    {
    }
}
