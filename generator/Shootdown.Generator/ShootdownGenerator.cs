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
            /// <summary>Whether the build asked for the <c>GeneratedSources</c> piece.</summary>
            public const string EmbedSources = "Shootdown.EmbedSources";
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

            var embedSources = context.AnalyzerConfigOptionsProvider
                .Select(static (options, _) => options.GlobalOptions.TryGetValue(SourcesEmitter.BuildProperty, out var value)
                    && string.Equals(value, "true", System.StringComparison.OrdinalIgnoreCase))
                .WithTrackingName(StepNames.EmbedSources);

            context.RegisterSourceOutput(toEmit.Combine(embedSources), static (spc, pair) => Emit(spc, pair.Left, pair.Right));
        }

        private static void Emit(SourceProductionContext context, ArchitectureModel model, bool embedSources)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            var pieces = new List<KeyValuePair<string, string>>
            {
                new("Descriptor", DescriptorEmitter.Emit(model)),
                new("MmuGather", MmuGatherEmitter.Emit(model)),
            };
            if (model.Descriptor.Has(GatherOptions.TableFree)) pieces.Add(new("TableBatch", TableBatchEmitter.Emit(model)));
            if (model.Descriptor.FastGup) pieces.Add(new("FastGup", FastGupEmitter.Emit(model)));
            foreach (var piece in pieces) Add(context, model, piece.Key, piece.Value);
            if (embedSources) Add(context, model, "Sources", SourcesEmitter.Emit(model, pieces));
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
