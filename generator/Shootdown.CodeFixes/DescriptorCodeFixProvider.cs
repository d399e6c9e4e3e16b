using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace Shootdown.CodeFixes
{
    /// <summary>
    /// Offers the fixes of <see cref="DescriptorFixes"/> for descriptor diagnostics, each under its own equivalence key
    /// (<c>SHD101.AddRcuTableFree</c>, <c>SHD101.RemoveNoTableInvalidate</c>), and Fix All through
    /// <see cref="DescriptorFixAllProvider"/>.
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
        public override FixAllProvider GetFixAllProvider() => DescriptorFixAllProvider.Instance;

        /// <inheritdoc/>
        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var solution = context.Document.Project.Solution;
            foreach (var diagnostic in context.Diagnostics)
            {
                var type = await DescriptorDeclaration.ClassAtAsync(context.Document, diagnostic, context.CancellationToken).ConfigureAwait(false);
                if (type is null) continue;
                foreach (var fix in await DescriptorFixes.ForAsync(diagnostic, solution, type, context.CancellationToken).ConfigureAwait(false))
                {
                    context.RegisterCodeFix(CodeAction.Create(fix.Title, cancellationToken => fix.Apply(solution, type, cancellationToken),
                        fix.EquivalenceKey), diagnostic);
                }
            }
        }
    }
}
