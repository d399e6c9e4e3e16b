namespace Shootdown.Generator.Model
{
    /// <summary>A type that encloses the descriptor class: how to reopen it as a partial declaration.</summary>
    /// <param name="Keyword">"class", "struct", "record", "record struct" or "interface".</param>
    /// <param name="Name">Its name with type parameters, as written: "Outer&lt;T&gt;".</param>
    /// <param name="IsStatic">Declared static.</param>
    internal sealed record ContainingType(string Keyword, string Name, bool IsStatic);

    /// <summary>
    /// Everything the emitter needs for one architecture, and nothing from the compilation: value-equatable so the
    /// pipeline caches it.
    /// </summary>
    /// <param name="Namespace">The namespace, or null for the global namespace.</param>
    /// <param name="Containers">Enclosing types, outermost first.</param>
    /// <param name="ClassName">The descriptor class's name, escaped with @ where it is a keyword.</param>
    /// <param name="ClassKeyword">"class" or "record": a partial part must repeat the record keyword.</param>
    /// <param name="IsStatic">The descriptor class is static.</param>
    /// <param name="HintPrefix">Unique file-name prefix from namespace, nesting and arity.</param>
    /// <param name="Descriptor">The descriptor.</param>
    /// <param name="TypeName">The class fully qualified as source names it (<c>global::Ns.Outer.X86_64</c>), or null when
    /// code elsewhere in the assembly cannot name it (a <c>file</c> class, or one inside a private or generic type).</param>
    internal sealed record ArchitectureModel(
        string? Namespace,
        EquatableArray<ContainingType> Containers,
        string ClassName,
        string ClassKeyword,
        bool IsStatic,
        string HintPrefix,
        ArchDescriptor Descriptor,
        string? TypeName);

    /// <summary>The result of parsing one [Architecture] class: a model to emit, or nothing when it is invalid.</summary>
    /// <param name="Model">The model, or null when the class or its descriptor has an error (the analyzer reports it).</param>
    /// <param name="Name">The architecture name, also for a refused class: SHD109 counts every class that spells one.</param>
    /// <param name="Refused">Why the generator emits nothing for the class, or null when it has a model.</param>
    internal sealed record ParseResult(ArchitectureModel? Model, string? Name, Refusal? Refused);
}
