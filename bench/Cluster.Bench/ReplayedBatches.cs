using System.Diagnostics;
using Cluster.Training.Data;

namespace Cluster.Bench;

/// <summary>
/// An in-memory epoch of <c>warmup + measured</c> steps over a fixed set of batches, and the clock of its measured
/// steps. Each step gets a fresh <see cref="Batch"/> whose tensors are aliases of the stored ones (same storage, no
/// copy), so the consumer may dispose it as the training loop does. A step is timed from handing out its batch until
/// the consumer asks for the next one, so it covers everything the consumer does per step: forward, backward,
/// optimizer step, hooks.
/// </summary>
public sealed class ReplayedBatches(IReadOnlyList<Batch> batches, int warmupSteps, int measuredSteps)
{
    private readonly List<double> stepSeconds = [];
    private long measuredSamples;

    public int StepsPerEpoch => warmupSteps + measuredSteps;
    public int BatchSize => batches[0].Count;

    /// <summary>The median time of the last epoch's measured steps (robust to a neighbour's burst mid-epoch).</summary>
    public double MedianStepSeconds => Samples.MedianOf(stepSeconds);

    /// <summary>Clips per second over the last epoch's measured steps, all of them counted.</summary>
    public double ClipsPerSecond => measuredSamples / stepSeconds.Sum();

    public IEnumerable<Batch> Epoch()
    {
        stepSeconds.Clear();
        measuredSamples = 0;
        for (int step = 0; step < StepsPerEpoch; step++)
        {
            var stored = batches[step % batches.Count];
            long handedOut = Stopwatch.GetTimestamp();
            yield return new Batch(stored.Inputs.alias(), stored.Labels.alias(), stored.SampleIndices);
            if (step >= warmupSteps)
            {
                stepSeconds.Add(Stopwatch.GetElapsedTime(handedOut).TotalSeconds);
                measuredSamples += stored.Count;
            }
        }
    }
}
