namespace Shootdown.Simulation
{
    /// <summary>
    /// Steers a controlled run beyond its schedule prefix and watches its steps: the partial-order reduction's sleep
    /// set lives here.
    /// </summary>
    internal interface IRunGuide
    {
        /// <summary>
        /// Picks the CPU to move among <paramref name="options"/> (ascending); <paramref name="decision"/> is the index of
        /// the decision, or -1 when only one CPU can move. Returns -1 to stop the run: every CPU that could move is asleep,
        /// so every continuation is equivalent to one explored before.
        /// </summary>
        int Choose(int decision, int[] options, int running);

        /// <summary>Step <paramref name="step"/> of <paramref name="log"/> is closed.</summary>
        void StepEnded(StepLog log, int step);
    }
}
