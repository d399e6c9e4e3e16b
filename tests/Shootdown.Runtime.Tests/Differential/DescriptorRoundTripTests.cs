using System.Collections.Generic;
using System.Linq;
using Shootdown.Explorer;

namespace Shootdown.Runtime.Tests.Differential
{
    /// <summary>
    /// Every knob of <see cref="DescriptorKnobs.All"/> survives source → model → id → model → source: the writer, the
    /// generator's reader and emitter, and the id encoder and decoder all derive from the one table.
    /// </summary>
    public sealed class DescriptorRoundTripTests
    {
        private static IReadOnlyList<ArchDescriptor> Descriptors()
        {
            var catalog = Shootdown.Archs.Catalog.ArchitectureCatalog.Names
                .Select(n => Shootdown.Archs.Catalog.ArchitectureCatalog.Find(n)!.Descriptor);
            // Every value of each token-valued optional knob (the era, HAVE_ARCH_TLB_REMOVE_TABLE) on the first catalog
            // descriptor that the value leaves structurally valid (INVLPGB per mm needs IPI invalidation), so it is generated.
            var variants = DescriptorKnobs.All.Where(k => k.Id.Field < 0 && k.Id.Tokens != null)
                .SelectMany(k => Enumerable.Range(1, k.Id.Tokens!.Length - 1).Select(v => catalog.Select(d => k.With(d, v)).First(DescriptorRules.IsStructurallyValid)));
            return catalog.Concat(variants).Concat(DescriptorSpace.Draw(0, 7).Take(80)).Select((d, i) => d with { Name = "rt" + i }).ToList();
        }

        [Fact]
        public void Every_knob_round_trips_from_source_through_the_model_and_the_id_back_to_source()
        {
            var descriptors = Descriptors();
            // Each knob must take a value other than its default somewhere, or the round trip would not cover it.
            foreach (var knob in DescriptorKnobs.All)
                Assert.True(descriptors.Any(d => knob.Get(d) != knob.Default), $"no descriptor sets {knob.Name}");

            // Compile checks source → model: the generated Descriptor equals the descriptor the source was written from.
            var compiled = DescriptorCompiler.Compile(descriptors);
            for (var i = 0; i < descriptors.Count; i++)
            {
                var source = DescriptorSourceWriter.File(descriptors[i], "Arch" + i);
                var model = compiled[i].Descriptor;
                Assert.Equal(descriptors[i], model);
                var id = DescriptorId.Encode(model);
                Assert.True(DescriptorId.TryDecode(id, out var back, out var error), error);
                Assert.Equal(model, back with { Name = model.Name });
                Assert.Equal(source, DescriptorSourceWriter.File(back with { Name = model.Name }, "Arch" + i));
            }
        }

        [Fact]
        public void The_knob_table_names_every_slot_once_and_every_property_of_the_descriptor()
        {
            var slots = System.Enum.GetValues<DescriptorSlot>().Where(s => s is not DescriptorSlot.Class and not DescriptorSlot.Name);
            Assert.Equal(slots.Order(), DescriptorKnobs.All.Select(k => k.Slot).Order());
            // Every settable property except the name is a knob: a property added without a knob fails here.
            var properties = typeof(ArchDescriptor).GetProperties().Where(p => p.CanWrite && p.Name != nameof(ArchDescriptor.Name)).Select(p => p.Name);
            Assert.Equal(properties.Order(), DescriptorKnobs.All.Select(k => k.Name).Order());
            // Each knob's With sets exactly what its Get reads.
            var d = DescriptorKnobs.Defaults("x");
            foreach (var knob in DescriptorKnobs.All)
            {
                var value = knob.Kind == KnobKind.Bool ? 1 - knob.Default : knob.Default + 2;
                Assert.Equal(value, knob.Get(knob.With(d, value)));
                foreach (var other in DescriptorKnobs.All.Where(o => o != knob))
                    Assert.Equal(other.Get(d), other.Get(knob.With(d, value)));
            }
        }
    }
}
