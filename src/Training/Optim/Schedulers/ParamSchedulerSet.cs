using System.Collections;

namespace Cluster.Training.Optim.Schedulers;

/// <summary>
/// The run's schedulers, stepped as MMEngine's ParamSchedulerHook does: iteration-based ones after every training
/// iteration, epoch-based ones after every training epoch, each in list order.
/// </summary>
public sealed class ParamSchedulerSet(IReadOnlyList<ParamScheduler> schedulers)
{
    public IReadOnlyList<ParamScheduler> Schedulers { get; } = schedulers;

    public void AfterTrainIteration()
    {
        foreach (var scheduler in Schedulers.Where(s => !s.ByEpoch))
        {
            scheduler.Step();
        }
    }

    public void AfterTrainEpoch()
    {
        foreach (var scheduler in Schedulers.Where(s => s.ByEpoch))
        {
            scheduler.Step();
        }
    }

    /// <summary>
    /// Sets every scheduler (and the lr) to where an uninterrupted run with <paramref name="itersPerEpoch"/> iterations
    /// per epoch has them after <paramref name="epochs"/> epochs. A resume whose iterations per epoch changed (another
    /// world size) needs it: the saved counters count other iterations, and chainable values cannot be moved.
    /// </summary>
    public void ReplayTo(int epochs, int itersPerEpoch)
    {
        foreach (var scheduler in Schedulers)
        {
            scheduler.Rewind();
        }
        foreach (var scheduler in Schedulers)
        {
            scheduler.Start();
        }
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            for (int iteration = 0; iteration < itersPerEpoch; iteration++)
            {
                AfterTrainIteration();
            }
            AfterTrainEpoch();
        }
    }

    /// <summary>The checkpoint's <c>param_schedulers</c> list.</summary>
    public List<object?> ToTree() => Schedulers.Select(s => (object?)s.ToTree()).ToList();

    public void LoadTree(IList tree)
    {
        if (tree.Count != Schedulers.Count)
        {
            throw new ArgumentException(
                $"param_schedulers: the checkpoint has {tree.Count} schedulers, the config builds {Schedulers.Count}");
        }
        for (int i = 0; i < tree.Count; i++)
        {
            var entry = tree[i] as IDictionary ?? throw new ArgumentException($"param_schedulers[{i}]: expected a dictionary");
            Schedulers[i].LoadTree(entry, $"param_schedulers[{i}]");
        }
    }
}
