using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;

namespace Shootdown.CodeFixes
{
    /// <summary>
    /// One fix for one diagnostic, apart from the solution it was found in: <see cref="Apply"/> takes the class as it is in
    /// the solution it edits, so Fix All can apply fixes one after another, each to the result of the last.
    /// </summary>
    internal sealed record DescriptorFix(string Title, string EquivalenceKey, Func<Solution, INamedTypeSymbol, CancellationToken, Task<Solution>> Apply);
}
