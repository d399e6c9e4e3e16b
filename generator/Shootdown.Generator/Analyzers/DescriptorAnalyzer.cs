using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Shootdown.Generator.Parsing;

namespace Shootdown.Generator.Analyzers
{
    /// <summary>
    /// Reports every rule of <see cref="DescriptorRules"/> on architecture classes: the class shape (<see cref="ClassShape"/>),
    /// what the reader could not read (<see cref="DescriptorReader"/>), the descriptor's values (<see cref="DescriptorRules.Check"/>)
    /// and, once the whole compilation is seen, duplicate architecture names. Each diagnostic sits on the attribute argument
    /// that has to change.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class DescriptorAnalyzer : DiagnosticAnalyzer
    {
        /// <inheritdoc/>
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => DiagnosticCatalog.All;

        /// <inheritdoc/>
        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                var names = new ArchitectureNames();
                start.RegisterSymbolAction(symbol => AnalyzeType(symbol, names), SymbolKind.NamedType);
                start.RegisterCompilationEndAction(end => names.ReportDuplicates(end));
            });
        }

        private static void AnalyzeType(SymbolAnalysisContext context, ArchitectureNames names)
        {
            if (context.Symbol is not INamedTypeSymbol { TypeKind: TypeKind.Class } type) return;
            var cancellationToken = context.CancellationToken;
            var reading = DescriptorReader.Read(type, cancellationToken);
            if (reading.Attributes.Count == 0) return;
            var readProblems = new HashSet<(string, DescriptorSlot)>();

            if (reading.Attributes.TryGetValue(AttributeNames.Architecture, out var architecture))
            {
                foreach (var problem in ClassShape.Problems(type))
                    Report(context, type, reading, problem.Id, problem.Slot, problem.Attribute, problem.Message);
                var clash = DiagnosticCatalog.Find(DescriptorRules.GeneratedNameClash);
                foreach (var found in GeneratedNames.Clashes(type, reading.Attributes.ContainsKey(AttributeNames.FastGup), cancellationToken))
                    if (clash != null) context.ReportDiagnostic(Diagnostic.Create(clash, found.Location, found.Message));
                var name = architecture.ConstructorArguments.Length > 0 ? architecture.ConstructorArguments[0].Value as string : null;
                if (name != null && name.Trim().Length > 0)
                    names.Add(name, ArgumentLocator.Locate(type, reading.Attributes, DescriptorSlot.Name, null, cancellationToken));
            }

            foreach (var problem in reading.Problems)
            {
                readProblems.Add((problem.Id, problem.Slot));
                Report(context, type, reading, problem.Id, problem.Slot, problem.Attribute, problem.Message);
            }
            if (reading.Descriptor is null) return;
            foreach (var finding in DescriptorRules.Check(reading.Descriptor))
            {
                // A null name is read as "" so the rules can run; the reader already said it is null.
                if (readProblems.Contains((finding.Id, finding.Slot))) continue;
                Report(context, type, reading, finding.Id, finding.Slot, null, finding.Message);
            }
        }

        private static void Report(SymbolAnalysisContext context, INamedTypeSymbol type, DescriptorReading reading,
            string id, DescriptorSlot slot, string? attribute, string message)
        {
            var descriptor = DiagnosticCatalog.Find(id);
            if (descriptor is null) return;
            var location = ArgumentLocator.Locate(type, reading.Attributes, slot, attribute, context.CancellationToken);
            context.ReportDiagnostic(Diagnostic.Create(descriptor, location, message));
        }

        /// <summary>Architecture names seen in the compilation, with where each is written.</summary>
        private sealed class ArchitectureNames
        {
            private readonly object _gate = new();
            private readonly List<(string Name, Location Location)> _seen = new();

            public void Add(string name, Location location)
            {
                lock (_gate) _seen.Add((name, location));
            }

            public void ReportDuplicates(CompilationAnalysisContext context)
            {
                var byName = new Dictionary<string, List<Location>>(System.StringComparer.Ordinal);
                lock (_gate)
                {
                    foreach (var (name, location) in _seen)
                    {
                        if (!byName.TryGetValue(name, out var locations)) byName.Add(name, locations = new List<Location>());
                        locations.Add(location);
                    }
                }
                var descriptor = DiagnosticCatalog.Find(DescriptorRules.DuplicateName);
                if (descriptor is null) return;
                foreach (var pair in byName)
                {
                    if (pair.Value.Count < 2) continue;
                    foreach (var location in pair.Value)
                    {
                        context.CancellationToken.ThrowIfCancellationRequested();
                        context.ReportDiagnostic(Diagnostic.Create(descriptor, location,
                            $"Architecture name \"{pair.Key}\" is used by {pair.Value.Count} classes; the generated code, the catalog and the explorer find an architecture by name, so give each a unique name"));
                    }
                }
            }
        }
    }
}
