using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Shootdown.Generator.Emit;
using Shootdown.Generator.Model;
using Shootdown.Generator.Parsing;

namespace Shootdown.Generator
{
    /// <summary>
    /// Generates each [Architecture] class's specialized teardown code: parse the descriptor into an equatable model,
    /// drop invalid ones (the analyzer explains why), then emit one file per piece.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed class ShootdownGenerator : IIncrementalGenerator
    {
        /// <summary>Tracking names of the pipeline steps, for cacheability tests.</summary>
        public static class StepNames
        {
            /// <summary>Each [Architecture] class parsed.</summary>
            public const string Parse = "Shootdown.Parse";
            /// <summary>The valid models.</summary>
            public const string Valid = "Shootdown.Valid";
            /// <summary>Architecture names that occur more than once.</summary>
            public const string DuplicateNames = "Shootdown.DuplicateNames";
            /// <summary>Models left to emit.</summary>
            public const string Emit = "Shootdown.Emit";
        }

        /// <inheritdoc/>
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var parsed = context.SyntaxProvider
                .ForAttributeWithMetadataName(AttributeNames.Architecture, ArchitectureParser.IsCandidate, ArchitectureParser.Parse)
                .WithTrackingName(StepNames.Parse);

            var valid = parsed
                .Where(static result => result.Model is not null)
                .Select(static (result, _) => result.Model!)
                .WithTrackingName(StepNames.Valid);

            var duplicates = valid
                .Select(static (model, _) => model.Descriptor.Name)
                .Collect()
                .Select(static (names, cancellationToken) => FindDuplicates(names, cancellationToken))
                .WithTrackingName(StepNames.DuplicateNames);

            var toEmit = valid
                .Combine(duplicates)
                .Where(static pair => !Contains(pair.Right, pair.Left.Descriptor.Name))
                .Select(static (pair, _) => pair.Left)
                .WithTrackingName(StepNames.Emit);

            context.RegisterSourceOutput(toEmit, static (spc, model) => Emit(spc, model));
        }

        private static void Emit(SourceProductionContext context, ArchitectureModel model)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            Add(context, model, "Descriptor", DescriptorEmitter.Emit(model));
            Add(context, model, "MmuGather", MmuGatherEmitter.Emit(model));
            if (model.Descriptor.Has(GatherOptions.TableFree)) Add(context, model, "TableBatch", TableBatchEmitter.Emit(model));
        }

        private static void Add(SourceProductionContext context, ArchitectureModel model, string piece, string source) =>
            context.AddSource(model.HintPrefix + "." + piece + ".g.cs", SourceText.From(source, System.Text.Encoding.UTF8));

        private static EquatableArray<string> FindDuplicates(ImmutableArray<string> names, System.Threading.CancellationToken cancellationToken)
        {
            var seen = new HashSet<string>(System.StringComparer.Ordinal);
            var dups = new SortedSet<string>(System.StringComparer.Ordinal);
            foreach (var name in names)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!seen.Add(name)) dups.Add(name);
            }
            var result = new string[dups.Count];
            dups.CopyTo(result);
            return new EquatableArray<string>(result);
        }

        private static bool Contains(EquatableArray<string> names, string name)
        {
            foreach (var n in names)
            {
                if (n == name) return true;
            }
            return false;
        }
    }
}
