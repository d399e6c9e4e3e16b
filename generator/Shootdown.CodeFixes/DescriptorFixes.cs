using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Shootdown.Generator.Parsing;

namespace Shootdown.CodeFixes
{
    /// <summary>
    /// The fixes for one descriptor diagnostic, first the one to prefer: add the option a race needs, remove an option that is
    /// unsafe or buys nothing, switch the PTE read, make the class (or its containers) partial. Rules with no one right edit (a
    /// duplicate name, impossible levels) get none.
    /// </summary>
    internal static class DescriptorFixes
    {
        public static async Task<List<DescriptorFix>> ForAsync(Diagnostic diagnostic, Solution solution, INamedTypeSymbol type, CancellationToken cancellationToken)
        {
            var fixes = new List<DescriptorFix>();
            var id = diagnostic.Id;
            switch (id)
            {
                case DescriptorRules.FragmentsWithoutTableFree:
                    Options(fixes, solution, type, id, "AddTableFree", "Add GatherOptions.TableFree (MMU_GATHER_TABLE_FREE)",
                        GatherOptions.TableFree, GatherOptions.None, cancellationToken);
                    break;
                case DescriptorRules.NoGatherWithoutTableFree:
                    // NO_GATHER depends on TABLE_FREE (arch/Kconfig), and without a synchronous clear NO_GATHER is itself the
                    // SHD004 race: there adding TableFree only trades this error for that one, so only the removal is offered.
                    if (Read(type, cancellationToken)?.SynchronousOnClear == true)
                        Options(fixes, solution, type, id, "AddTableFree", "Add GatherOptions.TableFree (MMU_GATHER_TABLE_FREE)",
                            GatherOptions.TableFree, GatherOptions.None, cancellationToken);
                    Options(fixes, solution, type, id, "RemoveNoGather", "Remove GatherOptions.NoGather",
                        GatherOptions.None, GatherOptions.NoGather, cancellationToken);
                    break;
                case DescriptorRules.SoftwareWalkerWithoutRcu:
                    // RCU table free selects TABLE_FREE (arch/Kconfig: MMU_GATHER_RCU_TABLE_FREE select MMU_GATHER_TABLE_FREE),
                    // so a written TableFree gives way to RcuTableFree in place: the minimal form.
                    Options(fixes, solution, type, id, "AddRcuTableFree", "Add GatherOptions.RcuTableFree (MMU_GATHER_RCU_TABLE_FREE)",
                        GatherOptions.RcuTableFree, GatherOptions.TableFree, cancellationToken);
                    break;
                case DescriptorRules.NoTableInvalidateWithoutRcu:
                    Options(fixes, solution, type, id, "AddRcuTableFree", "Add GatherOptions.RcuTableFree (MMU_GATHER_RCU_TABLE_FREE)",
                        GatherOptions.RcuTableFree, GatherOptions.None, cancellationToken);
                    Options(fixes, solution, type, id, "RemoveNoTableInvalidate", "Remove GatherOptions.NoTableInvalidate",
                        GatherOptions.None, GatherOptions.NoTableInvalidate, cancellationToken);
                    break;
                case DescriptorRules.NoTableInvalidateWithWalker:
                    Options(fixes, solution, type, id, "RemoveNoTableInvalidate", "Remove GatherOptions.NoTableInvalidate",
                        GatherOptions.None, GatherOptions.NoTableInvalidate, cancellationToken);
                    break;
                case DescriptorRules.NoGatherWithoutSyncClear:
                    Options(fixes, solution, type, id, "RemoveNoGather", "Remove GatherOptions.NoGather",
                        GatherOptions.None, GatherOptions.NoGather, cancellationToken);
                    break;
                case DescriptorRules.PointlessRcuTableFree:
                    // NoTableInvalidate requires RcuTableFree (SHD101): dropping one without the other trades this note for an error.
                    if ((Read(type, cancellationToken)?.Options ?? GatherOptions.None).HasFlag(GatherOptions.NoTableInvalidate))
                        Options(fixes, solution, type, id, "RcuTableFreeToTableFree",
                            "Replace GatherOptions.RcuTableFree with GatherOptions.TableFree and remove GatherOptions.NoTableInvalidate, which needs it",
                            GatherOptions.TableFree, GatherOptions.RcuTableFree | GatherOptions.NoTableInvalidate, cancellationToken);
                    else
                        Options(fixes, solution, type, id, "RcuTableFreeToTableFree", "Replace GatherOptions.RcuTableFree with GatherOptions.TableFree",
                            GatherOptions.TableFree, GatherOptions.RcuTableFree, cancellationToken);
                    break;
                case DescriptorRules.TornPteRead:
                    // The title names the Kconfig symbol as the descriptor's era spells it, like the SHD005 message.
                    var era = Read(type, cancellationToken)?.Linux ?? LinuxEra.Stable;
                    PteRead(fixes, solution, type, id, "LowHighSplit", $"Read the PTE with PteRead.LowHighSplit ({EraNames.SplitReadConfig(era)})",
                        Shootdown.PteRead.LowHighSplit, cancellationToken);
                    break;
                case DescriptorRules.PointlessSplitRead:
                    PteRead(fixes, solution, type, id, "SingleLoad", "Read the PTE with PteRead.SingleLoad", Shootdown.PteRead.SingleLoad, cancellationToken);
                    break;
                case DescriptorRules.NotPartial:
                    await PartialAsync(fixes, solution, type, id, $"Make '{type.Name}' partial", t => new[] { t }, cancellationToken).ConfigureAwait(false);
                    break;
                case DescriptorRules.NestedInNonPartial:
                    await PartialAsync(fixes, solution, type, id, $"Make the types enclosing '{type.Name}' partial", PartialEdit.Containers, cancellationToken)
                        .ConfigureAwait(false);
                    break;
            }
            return fixes;
        }

        private static ArchDescriptor? Read(INamedTypeSymbol type, CancellationToken cancellationToken) =>
            DescriptorReader.Read(type, cancellationToken).Descriptor;

        private static void Options(List<DescriptorFix> fixes, Solution solution, INamedTypeSymbol type, string id, string key, string title,
            GatherOptions add, GatherOptions remove, CancellationToken cancellationToken)
        {
            if (!GatherOptionsEdit.CanApply(solution, type, cancellationToken)) return;
            fixes.Add(new DescriptorFix(title, id + "." + key, (s, t, c) => GatherOptionsEdit.ApplyAsync(s, t, add, remove, c)));
        }

        private static void PteRead(List<DescriptorFix> fixes, Solution solution, INamedTypeSymbol type, string id, string key, string title,
            PteRead read, CancellationToken cancellationToken)
        {
            if (!PteReadEdit.CanApply(solution, type, cancellationToken)) return;
            fixes.Add(new DescriptorFix(title, id + "." + key, (s, t, c) => PteReadEdit.ApplyAsync(s, t, read, c)));
        }

        private static async Task PartialAsync(List<DescriptorFix> fixes, Solution solution, INamedTypeSymbol type, string id, string title,
            System.Func<INamedTypeSymbol, IEnumerable<INamedTypeSymbol>> types, CancellationToken cancellationToken)
        {
            if (!await PartialEdit.CanApplyAsync(solution, types(type), cancellationToken).ConfigureAwait(false)) return;
            fixes.Add(new DescriptorFix(title, id + ".Partial", (s, t, c) => PartialEdit.ApplyAsync(s, types(t), c)));
        }
    }
}
