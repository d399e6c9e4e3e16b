extern alias analyzers;

using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using DescriptorAnalyzer = analyzers::Shootdown.Generator.Analyzers.DescriptorAnalyzer;
using DescriptorCodeFixProvider = analyzers::Shootdown.CodeFixes.DescriptorCodeFixProvider;
using ShootdownGenerator = analyzers::Shootdown.Generator.ShootdownGenerator;

namespace Shootdown.Analyzer.Tests.Harness
{
    /// <summary>
    /// A code fix on marked-up sources (markup as in <see cref="AnalyzerCheck"/>): the diagnostics before are exactly the marked
    /// ones, applying the fix one diagnostic at a time and by Fix All (document, project, solution) gives the fixed text, and
    /// the fixed text has exactly its marked diagnostics. The generator runs too, so a class the fix leaves without code shows
    /// as its SHD116 and generated code that does not compile with the fixed class shows as the compiler's error.
    /// </summary>
    internal sealed class CodeFixCheck : CSharpCodeFixTest<DescriptorAnalyzer, DescriptorCodeFixProvider, DefaultVerifier>
    {
        public CodeFixCheck(string before, string after)
        {
            TestProject.Configure(this);
            TestCode = before;
            FixedCode = after;
            // The generated text has snapshot tests of its own (Shootdown.Generator.Tests); here it only has to compile.
            // The library's pragma check counts the generator's diagnostics, which it takes from the driver unfiltered by
            // pragmas; SuppressionTests and SuppressionAndGenerationTests cover suppression.
            TestBehaviors |= TestBehaviors.SkipGeneratedSourcesCheck | TestBehaviors.SkipSuppressionCheck;
        }

        /// <summary>The title every applied fix must have.</summary>
        public string? Title
        {
            init
            {
                if (value != null) CodeActionVerifier = (action, verifier) => verifier.Equal(value, action.Title, "title of the applied fix");
            }
        }

        /// <summary>Applies the fix with <paramref name="key"/> (the first offered when null) wherever it is offered.</summary>
        public static Task VerifyAsync(string before, string after, string? key = null, string? title = null) =>
            new CodeFixCheck(before, after) { CodeActionEquivalenceKey = key, Title = title }.RunAsync();

        /// <summary>The marked diagnostics are reported and no fix is offered for any of them.</summary>
        public static Task VerifyNoFixAsync(string source) => new CodeFixCheck(source, source).RunAsync();

        protected override async Task RunImplAsync(System.Threading.CancellationToken cancellationToken)
        {
            // The library skips its Fix All checks for a fixer without a Fix All provider; a test that counts Fix All passes
            // means Fix All to be there.
            if (NumberOfFixAllIterations != null || NumberOfFixAllInDocumentIterations != null || NumberOfFixAllInProjectIterations != null)
            {
                var scopes = new DescriptorCodeFixProvider().GetFixAllProvider()?.GetSupportedFixAllScopes().ToList();
                Verify.True(scopes != null, "the fixer has no Fix All provider");
                foreach (var scope in new[] { FixAllScope.Document, FixAllScope.Project, FixAllScope.Solution })
                    Verify.True(scopes!.Contains(scope), $"Fix All in {scope} is not supported");
            }
            await base.RunImplAsync(cancellationToken).ConfigureAwait(false);
        }

        protected override CompilationOptions CreateCompilationOptions() => Pipeline.CompilationOptions();

        protected override ParseOptions CreateParseOptions() => Pipeline.ParseOptions;

        protected override IEnumerable<Type> GetSourceGenerators() => new[] { typeof(ShootdownGenerator) };
    }
}
