using Shootdown.Simulation;

namespace Shootdown.Explorer
{
    /// <summary>One finished exploration of a check, as <see cref="RaceCheckOptions.OnExplored"/> hands it on.</summary>
    /// <param name="Index">Its place in the check, from 0: subjects in the order given, each subject's scenarios in <see cref="RaceScenarios.All"/> order.</param>
    /// <param name="Total">Explorations in the whole check.</param>
    /// <param name="Descriptor">The descriptor the machine was built for.</param>
    /// <param name="Subject">The code explored.</param>
    /// <param name="Verdict">The scenario's verdict and report.</param>
    public sealed record ExplorationDone(int Index, int Total, ArchDescriptor Descriptor, ArchitectureOps Subject, ScenarioVerdict Verdict);
}
