namespace Cluster.Training.Engine;

/// <summary>
/// Where a resumed run continues when its iterations per epoch may differ from the checkpoint's (a data-parallel group
/// of another world size reads another share of each epoch). Epochs are the common measure: a checkpoint at an epoch's
/// end starts the next epoch cleanly; one in the middle of an epoch of another length restarts that epoch.
/// </summary>
public static class ResumePosition
{
    /// <param name="epoch">The checkpoint's completed epochs.</param>
    /// <param name="iteration">The checkpoint's completed global iterations.</param>
    /// <param name="savedItersPerEpoch">The iterations per epoch the checkpoint was written with; null when unknown
    /// (a checkpoint from before it was recorded, or from MMEngine).</param>
    /// <param name="itersPerEpoch">The resumed run's iterations per epoch.</param>
    /// <returns>The global iteration to continue from, and a line saying why when it is not the checkpoint's.</returns>
    public static (long Iteration, string? Note) Recount(int epoch, long iteration, int? savedItersPerEpoch, int itersPerEpoch)
    {
        long epochStart = (long)epoch * itersPerEpoch;
        if (savedItersPerEpoch is not { } saved)
        {
            long into = iteration - epochStart;
            if (into >= 0 && into < itersPerEpoch) return (iteration, null);
            return (epochStart, $"resume: iteration {iteration} does not fit epoch {epoch + 1} of {itersPerEpoch} iterations " +
                                $"(the checkpoint was written with another number of iterations per epoch): epoch {epoch + 1} " +
                                $"starts from its first batch at iteration {epochStart}");
        }
        if (saved == itersPerEpoch) return (iteration, null);
        long savedInto = iteration - (long)epoch * saved;
        if (savedInto == 0)
            return (epochStart, $"resume: iterations per epoch changed from {saved} to {itersPerEpoch} (another world size): " +
                                $"epoch {epoch + 1} starts cleanly; iteration {iteration} is recounted as {epochStart}");
        return (epochStart, $"resume: the checkpoint is {savedInto} of {saved} iterations into epoch {epoch + 1}, which now has " +
                            $"{itersPerEpoch} iterations (another world size): epoch {epoch + 1} restarts from its first batch " +
                            $"at iteration {epochStart}");
    }
}
