using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace Shootdown.CodeFixes
{
    /// <summary>
    /// Fixes for descriptor diagnostics: add the option a race needs, remove an option that is unsafe or buys nothing, switch
    /// the PTE read, make the class (or its containers) partial. Rules with no one right edit (a duplicate name, impossible
    /// levels) get no fix.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(DescriptorCodeFixProvider)), Shared]
    public sealed class DescriptorCodeFixProvider : CodeFixProvider
    {
        /// <inheritdoc/>
        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(
            DescriptorRules.FragmentsWithoutTableFree,
            DescriptorRules.SoftwareWalkerWithoutRcu,
            DescriptorRules.NoTableInvalidateWithWalker,
            DescriptorRules.NoGatherWithoutSyncClear,
            DescriptorRules.TornPteRead,
            DescriptorRules.PointlessRcuTableFree,
            DescriptorRules.PointlessSplitRead,
            DescriptorRules.NoGatherWithoutTableFree,
            DescriptorRules.NoTableInvalidateWithoutRcu,
            DescriptorRules.NotPartial,
            DescriptorRules.NestedInNonPartial);

        /// <inheritdoc/>
        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        /// <inheritdoc/>
        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var solution = context.Document.Project.Solution;
            foreach (var diagnostic in context.Diagnostics)
            {
                var type = await DescriptorDeclaration.ClassAtAsync(context.Document, diagnostic, context.CancellationToken).ConfigureAwait(false);
                if (type is null) continue;
                switch (diagnostic.Id)
                {
                    case DescriptorRules.FragmentsWithoutTableFree:
                    case DescriptorRules.NoGatherWithoutTableFree:
                        Options(context, diagnostic, solution, type, "AddTableFree", "Add GatherOptions.TableFree (MMU_GATHER_TABLE_FREE)",
                            GatherOptions.TableFree, GatherOptions.None);
                        break;
                    case DescriptorRules.SoftwareWalkerWithoutRcu:
                        // RCU table free selects TABLE_FREE (arch/Kconfig: MMU_GATHER_RCU_TABLE_FREE select MMU_GATHER_TABLE_FREE),
                        // so a written TableFree gives way to RcuTableFree in place: the minimal form.
                        Options(context, diagnostic, solution, type, "AddRcuTableFree", "Add GatherOptions.RcuTableFree (MMU_GATHER_RCU_TABLE_FREE)",
                            GatherOptions.RcuTableFree, GatherOptions.TableFree);
                        break;
                    case DescriptorRules.NoTableInvalidateWithoutRcu:
                        Options(context, diagnostic, solution, type, "AddRcuTableFree", "Add GatherOptions.RcuTableFree (MMU_GATHER_RCU_TABLE_FREE)",
                            GatherOptions.RcuTableFree, GatherOptions.None);
                        Options(context, diagnostic, solution, type, "RemoveNoTableInvalidate", "Remove GatherOptions.NoTableInvalidate",
                            GatherOptions.None, GatherOptions.NoTableInvalidate);
                        break;
                    case DescriptorRules.NoTableInvalidateWithWalker:
                        Options(context, diagnostic, solution, type, "RemoveNoTableInvalidate", "Remove GatherOptions.NoTableInvalidate",
                            GatherOptions.None, GatherOptions.NoTableInvalidate);
                        break;
                    case DescriptorRules.NoGatherWithoutSyncClear:
                        Options(context, diagnostic, solution, type, "RemoveNoGather", "Remove GatherOptions.NoGather", GatherOptions.None, GatherOptions.NoGather);
                        break;
                    case DescriptorRules.PointlessRcuTableFree:
                        // NoTableInvalidate requires RcuTableFree (SHD101): dropping one without the other trades this note for an error.
                        if (Options(type, context.CancellationToken).HasFlag(GatherOptions.NoTableInvalidate))
                            Options(context, diagnostic, solution, type, "RcuTableFreeToTableFree",
                                "Replace GatherOptions.RcuTableFree with GatherOptions.TableFree and remove GatherOptions.NoTableInvalidate, which needs it",
                                GatherOptions.TableFree, GatherOptions.RcuTableFree | GatherOptions.NoTableInvalidate);
                        else
                            Options(context, diagnostic, solution, type, "RcuTableFreeToTableFree", "Replace GatherOptions.RcuTableFree with GatherOptions.TableFree",
                                GatherOptions.TableFree, GatherOptions.RcuTableFree);
                        break;
                    case DescriptorRules.TornPteRead:
                        Read(context, diagnostic, solution, type, "LowHighSplit", "Read the PTE with PteRead.LowHighSplit (GUP_GET_PXX_LOW_HIGH)", PteRead.LowHighSplit);
                        break;
                    case DescriptorRules.PointlessSplitRead:
                        Read(context, diagnostic, solution, type, "SingleLoad", "Read the PTE with PteRead.SingleLoad", PteRead.SingleLoad);
                        break;
                    case DescriptorRules.NotPartial:
                        Partial(context, diagnostic, solution, new[] { type }, $"Make '{type.Name}' partial");
                        break;
                    case DescriptorRules.NestedInNonPartial:
                        Partial(context, diagnostic, solution, PartialEdit.Containers(type), $"Make the types enclosing '{type.Name}' partial");
                        break;
                }
            }
        }

        private static GatherOptions Options(INamedTypeSymbol type, CancellationToken cancellationToken) =>
            Generator.Parsing.DescriptorReader.Read(type, cancellationToken).Descriptor?.Options ?? GatherOptions.None;

        private static void Options(CodeFixContext context, Diagnostic diagnostic, Solution solution, INamedTypeSymbol type, string key, string title,
            GatherOptions add, GatherOptions remove)
        {
            if (!GatherOptionsEdit.CanApply(solution, type, context.CancellationToken)) return;
            context.RegisterCodeFix(CodeAction.Create(title,
                cancellationToken => GatherOptionsEdit.ApplyAsync(solution, type, add, remove, cancellationToken),
                diagnostic.Id + "." + key), diagnostic);
        }

        private static void Read(CodeFixContext context, Diagnostic diagnostic, Solution solution, INamedTypeSymbol type, string key, string title,
            PteRead read)
        {
            if (!PteReadEdit.CanApply(solution, type, context.CancellationToken)) return;
            context.RegisterCodeFix(CodeAction.Create(title,
                cancellationToken => PteReadEdit.ApplyAsync(solution, type, read, cancellationToken),
                diagnostic.Id + "." + key), diagnostic);
        }

        private static void Partial(CodeFixContext context, Diagnostic diagnostic, Solution solution,
            System.Collections.Generic.IEnumerable<INamedTypeSymbol> types, string title)
        {
            var declarations = PartialEdit.MissingPartial(types, context.CancellationToken);
            if (declarations.Count == 0) return;
            context.RegisterCodeFix(CodeAction.Create(title,
                cancellationToken => PartialEdit.ApplyAsync(solution, declarations, cancellationToken),
                diagnostic.Id + ".Partial"), diagnostic);
        }
    }
}
