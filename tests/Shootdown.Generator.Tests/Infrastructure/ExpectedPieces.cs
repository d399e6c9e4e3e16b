using System.Collections.Generic;

namespace Shootdown.Generator.Tests.Infrastructure
{
    /// <summary>The files the generator owes one valid descriptor: which pieces exist is the descriptor's to decide.</summary>
    internal static class ExpectedPieces
    {
        /// <summary>Descriptor and MmuGather always; TableBatch with MMU_GATHER_TABLE_FREE; FastGup with HAVE_GUP_FAST.</summary>
        public static IEnumerable<string> Of(ArchDescriptor d)
        {
            yield return "Descriptor";
            yield return "MmuGather";
            if (d.Has(GatherOptions.TableFree)) yield return "TableBatch";
            if (d.FastGup) yield return "FastGup";
        }
    }
}
