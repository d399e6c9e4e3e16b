using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Shootdown.Analyzer.Tests.Harness;

namespace Shootdown.Analyzer.Tests.Properties
{
    /// <summary>
    /// Runs one <see cref="Declaration"/> through the compiler alone and through the generator and the analyzer, and names
    /// every way the result fails a user. Each class is one property of the generator; the empty list means all hold.
    /// </summary>
    internal static class Judgement
    {
        /// <summary>The generator threw, or a hint name was given twice (CS8785), or the analyzer threw (AD0001).</summary>
        public const string Crash = "crash";
        /// <summary>
        /// An error inside a generated file, or one the generated code caused in the user's file, with no Structure SHD error:
        /// only a Structure error stops generation, so a race (a Safety error) must get code that compiles.
        /// </summary>
        public const string Uncompilable = "uncompilable-without-structure-error";

        /// <summary>The class of a finding, without the detail in parentheses.</summary>
        public static string ClassOf(string finding) => finding.Split(' ')[0];
        /// <summary>Code was generated for a class the analyzer has an error-severity Structure finding on.</summary>
        public const string GeneratedDespiteError = "generated-despite-structure-error";
        /// <summary>No code for a class the compiler accepts and whose only SHD errors, if any, are Safety errors.</summary>
        public const string Withheld = "no-code-without-structure-error";
        /// <summary>No code for an architecture class and nothing visible that says why.</summary>
        public const string SilentRefusal = "silent-refusal";

        /// <summary>Every class of failure, in the order the measurement prints them.</summary>
        public static readonly string[] Classes = { Crash, Uncompilable, GeneratedDespiteError, Withheld, SilentRefusal };

        private const string RegistryHint = "Shootdown.Generated.ShootdownArchitectures.g.cs";
        private const string StructureCategory = "Shootdown.Structure";

        public static async Task<IReadOnlyList<string>> JudgeAsync(Declaration declaration)
        {
            var files = declaration.Files().Select((text, i) => new SourceFile("/src/F" + i + ".cs", text)).ToList();
            var baseline = Pipeline.Compile(files).GetDiagnostics()
                .Where(d => d.Severity == DiagnosticSeverity.Error).Select(Key).ToHashSet();
            var result = await Pipeline.RunAsync(files, runGenerator: true);
            var found = new List<string>();
            var all = result.Diagnostics.Concat(result.GeneratorDiagnostics).ToList();
            if (result.Exceptions.Length > 0 || all.Any(d => d.Id is "CS8785" or "AD0001")) found.Add(Crash);

            // By default severity and category, as the generator judges: configuration changes neither.
            var structureErrors = all.Where(d => d.Id.StartsWith("SHD", System.StringComparison.Ordinal) && d.DefaultSeverity == DiagnosticSeverity.Error
                && d.Descriptor.Category == StructureCategory).ToList();
            var added = all.Where(d => d.Severity == DiagnosticSeverity.Error && !d.Id.StartsWith("SHD", System.StringComparison.Ordinal)
                && d.Id != "CS8785" && (IsGenerated(d) || !baseline.Contains(Key(d)))).ToList();
            if (added.Count > 0 && structureErrors.Count == 0) found.Add(Uncompilable + " (" + string.Join("; ", added.Take(3)) + ")");
            // Each file holds one architecture class, so files with a Structure error count the classes that must get no
            // code, and every other class must get its code.
            var refused = structureErrors.Where(d => d.Location.IsInSource).Select(d => d.Location.SourceTree!.FilePath).Distinct().Count();
            // The assembly's registry (one file per compilation, naming the classes that did get code) is no class's code.
            var generatedClasses = result.HintNames.Where(h => h != RegistryHint).Select(h => h.Substring(0, h.LastIndexOf('.', h.Length - ".g.cs".Length - 1))).Distinct().Count();
            if (generatedClasses > files.Count - refused) found.Add(GeneratedDespiteError);
            var annotatedClass = !declaration.Modifiers.Contains("struct");
            if (annotatedClass && baseline.Count == 0 && generatedClasses < files.Count - refused)
                found.Add(Withheld + " (" + string.Join("; ", all.Where(d => d.Id.StartsWith("SHD", System.StringComparison.Ordinal)).Select(d => d.Id).Distinct()) + ")");

            var refusalHidden = declaration.Pragma?.Contains("SHD116") == true;
            if (annotatedClass && result.GeneratedFiles == 0 && baseline.Count == 0 && !refusalHidden
                && !result.Visible.Any(d => d.Id.StartsWith("SHD", System.StringComparison.Ordinal) && d.Severity >= DiagnosticSeverity.Warning))
                found.Add(SilentRefusal);
            return found;
        }

        private static bool IsGenerated(Diagnostic d) =>
            d.Location.SourceTree?.FilePath.Contains("Shootdown.Generator.ShootdownGenerator", System.StringComparison.Ordinal) == true;

        private static string Key(Diagnostic d) => d.Id + "@" + d.Location.GetLineSpan();
    }
}
