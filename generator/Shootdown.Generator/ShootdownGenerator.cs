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
            /// <summary>Architecture names that occur more than once, and hint prefixes that differ only in case.</summary>
            public const string DuplicateNames = "Shootdown.DuplicateNames";
            /// <summary>Models left to emit.</summary>
            public const string Emit = "Shootdown.Emit";
            /// <summary>Whether the build asked for the <c>GeneratedSources</c> piece.</summary>
            public const string EmbedSources = "Shootdown.EmbedSources";
            /// <summary>The entries of the assembly's architecture registry.</summary>
            public const string Registry = "Shootdown.Registry";
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

            // Names of refused classes count too: the analyzer reports SHD109 on every class that spells a shared name.
            var clashes = parsed
                .Select(static (result, _) => new NameAndHint(result.Name, result.Model?.HintPrefix))
                .Collect()
                .Select(static (names, cancellationToken) => NameClashes.Find(names, cancellationToken))
                .WithTrackingName(StepNames.DuplicateNames);

            var toEmit = valid
                .Combine(clashes)
                .Where(static pair => !NameClashes.Contains(pair.Right.DuplicateNames, pair.Left.Descriptor.Name)
                    && !NameClashes.Contains(pair.Right.SharedHints, pair.Left.HintPrefix))
                .Select(static (pair, _) => NameClashes.Contains(pair.Right.CaseClashingHints, pair.Left.HintPrefix)
                    ? pair.Left with { HintPrefix = NameClashes.Disambiguate(pair.Left.HintPrefix) }
                    : pair.Left)
                .WithTrackingName(StepNames.Emit);

            var embedSources = context.AnalyzerConfigOptionsProvider
                .Select(static (options, _) => options.GlobalOptions.TryGetValue(SourcesEmitter.BuildProperty, out var value)
                    && string.Equals(value, "true", System.StringComparison.OrdinalIgnoreCase))
                .WithTrackingName(StepNames.EmbedSources);

            context.RegisterSourceOutput(toEmit.Combine(embedSources), static (spc, pair) => Emit(spc, pair.Left, pair.Right));

            var registry = toEmit
                .Collect()
                .Select(static (models, _) => RegistryEmitter.Entries(models))
                .WithTrackingName(StepNames.Registry);
            context.RegisterSourceOutput(registry.Combine(embedSources), static (spc, pair) =>
            {
                if (pair.Left.Count == 0) return;
                spc.AddSource(RegistryEmitter.HintName, SourceText.From(RegistryEmitter.Emit(pair.Left, pair.Right), System.Text.Encoding.UTF8));
            });

            // The generator's own word on a refused class: the analyzer's diagnostics may be suppressed, this one says why
            // the generated members are missing wherever the user then meets CS0117.
            var refusals = parsed
                .Where(static result => result.Refused is not null)
                .Select(static (result, _) => result.Refused!);
            context.RegisterSourceOutput(refusals, static (spc, refusal) =>
            {
                var descriptor = Analyzers.DiagnosticCatalog.Find(DescriptorRules.NothingGenerated);
                if (descriptor != null) spc.ReportDiagnostic(Diagnostic.Create(descriptor, refusal.Location, refusal.Message()));
            });
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
    }
}
