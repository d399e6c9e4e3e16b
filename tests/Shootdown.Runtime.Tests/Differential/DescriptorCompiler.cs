extern alias GeneratorAssembly;

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Shootdown.Simulation;
using GeneratorAssembly::Shootdown.Generator;

namespace Shootdown.Runtime.Tests.Differential
{
    /// <summary>
    /// Compiles descriptors at test time the way a consuming project would: descriptor attributes in source, the
    /// generator run over them, the whole compiled in memory against Shootdown.Runtime and loaded into its own
    /// (collectible) load context. Many descriptors go into one compilation: binding is the expensive part.
    /// </summary>
    internal static class DescriptorCompiler
    {
        private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

        /// <summary>
        /// The generated architecture of each descriptor, in order. Throws with the compiler's errors when the generator
        /// reported a diagnostic error or the generated code does not compile. <paramref name="mutate"/>, when given,
        /// rewrites the text of each generated file before it is compiled (for tests that show a broken variant fails).
        /// </summary>
        public static IReadOnlyList<CompiledArchitecture> Compile(IReadOnlyList<ArchDescriptor> descriptors, Func<string, string>? mutate = null)
        {
            var classNames = descriptors.Select((_, i) => "Arch" + i.ToString("000")).ToArray();
            var trees = descriptors.Select((d, i) => CSharpSyntaxTree.ParseText(
                DescriptorSourceWriter.File(d, classNames[i]), ParseOptions, "Differential/" + classNames[i] + ".cs", System.Text.Encoding.UTF8));
            var compilation = CSharpCompilation.Create(
                "Differential.Descriptors",
                trees,
                References(),
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary)
                    .WithNullableContextOptions(NullableContextOptions.Enable)
                    .WithOptimizationLevel(OptimizationLevel.Release));
            GeneratorDriver driver = CSharpGeneratorDriver.Create(new[] { new ShootdownGenerator().AsSourceGenerator() }, parseOptions: ParseOptions);
            driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
            Fail("the generator reported", generatorDiagnostics);
            if (mutate != null)
            {
                foreach (var generated in output.SyntaxTrees.Except(trees).ToList())
                {
                    var text = generated.GetText().ToString();
                    var changed = mutate(text);
                    if (changed != text)
                        output = output.ReplaceSyntaxTree(generated, CSharpSyntaxTree.ParseText(changed, ParseOptions, generated.FilePath, System.Text.Encoding.UTF8));
                }
            }

            using var image = new MemoryStream();
            var emitted = output.Emit(image);
            Fail("the generated code does not compile", emitted.Diagnostics);
            image.Position = 0;
            var assembly = new AssemblyLoadContext("differential-descriptors", isCollectible: true).LoadFromStream(image);

            var compiled = new List<CompiledArchitecture>();
            for (var i = 0; i < descriptors.Count; i++)
            {
                var type = assembly.GetType(DescriptorSourceWriter.Namespace + "." + classNames[i], throwOnError: true)!;
                var descriptor = (ArchDescriptor)Static(type, "Descriptor");
                if (descriptor != descriptors[i])
                    throw new InvalidOperationException($"{classNames[i]}: the generated Descriptor is {descriptor}, the source said {descriptors[i]}");
                compiled.Add(CompiledArchitecture.Of((ArchitectureOps)Static(type, "Ops")));
            }
            return compiled;
        }

        private static object Static(Type type, string property) =>
            type.GetProperty(property, BindingFlags.Public | BindingFlags.Static)?.GetValue(null)
            ?? throw new InvalidOperationException($"{type.FullName} has no generated {property}");

        private static void Fail(string what, IEnumerable<Diagnostic> diagnostics)
        {
            var errors = diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(20).ToList();
            if (errors.Count > 0) throw new InvalidOperationException(what + ":\n" + string.Join("\n", errors));
        }

        private static IEnumerable<MetadataReference> References()
        {
            // The shared framework and the runtime; not the generator, which defines the descriptor types a second time.
            var frameworkDir = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
            var trusted = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!;
            foreach (var path in trusted.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                if (string.Equals(Path.GetDirectoryName(path), frameworkDir, StringComparison.Ordinal))
                    yield return MetadataReference.CreateFromFile(path);
            }
            yield return MetadataReference.CreateFromFile(typeof(ArchDescriptor).Assembly.Location);
        }
    }
}
