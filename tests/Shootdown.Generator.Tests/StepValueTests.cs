using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Shootdown.Generator.Tests.Infrastructure;

namespace Shootdown.Generator.Tests
{
    /// <summary>No pipeline value holds compilation state (symbols, syntax, locations, compilations, semantic models).</summary>
    public sealed class StepValueTests
    {
        [Fact]
        public void Step_outputs_hold_no_compilation_state()
        {
            var run = GeneratorHarness.Run(Catalog.Sources.Concat(VariedDescriptors.Named("walkers").Sources()));
            run.AssertNoGeneratorFailure();

            var found = new List<string>();
            var walked = 0;
            foreach (var step in PipelineSteps.Names)
            {
                var index = 0;
                foreach (var (value, _) in PipelineSteps.Outputs(run, step))
                {
                    found.AddRange(CompilationStateFinder.Find(value, $"{step}[{index++}]"));
                    walked++;
                }
            }
            var outputIndex = 0;
            foreach (var (value, _) in PipelineSteps.SourceOutputs(run))
            {
                found.AddRange(CompilationStateFinder.Find(value, $"source output[{outputIndex++}]"));
                walked++;
            }

            Assert.True(walked > 0, "no step outputs were tracked");
            Assert.True(found.Count == 0, string.Join("\n", found));
        }

        private sealed record Holder(string Name, object? Payload, ImmutableArray<object> Items);

        private sealed class Cycle
        {
            public Cycle? Next;
            public object? Payload;
        }

        [Fact]
        public void Finder_sees_state_nested_in_records_arrays_tuples_and_cycles()
        {
            var tree = CSharpSyntaxTree.ParseText("class C { }");
            var compilation = CSharpCompilation.Create("x", new[] { tree });
            var symbol = compilation.GetTypeByMetadataName("C")!;

            var cycle = new Cycle { Payload = symbol };
            cycle.Next = cycle;

            Assert.Contains("v.Payload is", Single(new Holder("a", tree.GetRoot(), ImmutableArray<object>.Empty)));
            Assert.Contains("v.Items.array[0]", Single(new Holder("a", null, ImmutableArray.Create<object>(Location.None))));
            Assert.Contains("v.Item2[1]", Single(("a", new object[] { 1, compilation })));
            Assert.Contains("v.Payload", Single(cycle));
            Assert.Empty(CompilationStateFinder.Find(new Holder("a", new[] { 1, 2 }, ImmutableArray.Create<object>("x", 3)), "v"));
        }

        private static string Single(object value)
        {
            var found = CompilationStateFinder.Find(value, "v");
            Assert.Single(found);
            return found[0];
        }
    }
}
