using System.Globalization;
using Cluster.Abstractions.Sweeps;

namespace Cluster.Client.Commands.Sweeps;

/// <summary>
/// What <c>cluster retrain --from-sweep</c> trains: the sweep's best finished trial, and the overrides applied to that
/// trial's merged config (a new epoch count, a warm start from the trial's best checkpoint, then the user's --set, which
/// win). Pure, so its refusals are tested without a cluster.
/// </summary>
internal static class RetrainPlan
{
    /// <summary>The best trial, when it finished (completed, or stopped early by the scheduler).</summary>
    /// <exception cref="ArgumentException">The sweep has no such trial yet.</exception>
    public static BestTrial BestTrial(SweepStatus sweep)
    {
        if (sweep.Best is not { } best)
            throw new ArgumentException($"--from-sweep {sweep.Id}: the sweep has no completed best trial to retrain " +
                                        $"({sweep.State}, {sweep.Trials.Count(t => t.State == TrialState.Completed)} of {sweep.Trials.Count} trials completed)");
        var trial = sweep.Trials.FirstOrDefault(t => t.Id == best.TrialId);
        if (trial is not null && trial.State is not (TrialState.Completed or TrialState.Stopped))
            throw new ArgumentException($"--from-sweep {sweep.Id}: its best trial {best.TrialId} is {trial.State.ToString().ToLowerInvariant()}, " +
                                        "not completed; retrain once it has");
        return best;
    }

    /// <param name="epochs">--epochs: the new run's max_epochs, null to keep the trial's.</param>
    /// <param name="warmStart">--warm-start: start from the trial's best checkpoint's weights (a fresh schedule, not a resume).</param>
    public static IReadOnlyList<string> Overrides(SweepStatus sweep, BestTrial best, int? epochs, bool warmStart, IReadOnlyList<string> sets)
    {
        var overrides = new List<string>();
        if (epochs is { } e)
        {
            if (e < 1) throw new ArgumentException($"--epochs {e}: must be at least 1");
            overrides.Add($"train_cfg.max_epochs={e.ToString(CultureInfo.InvariantCulture)}");
        }
        if (warmStart)
        {
            var checkpoint = best.Checkpoint ?? sweep.Trials.FirstOrDefault(t => t.Id == best.TrialId)?.Checkpoint
                ?? throw new ArgumentException($"--warm-start: the best trial {best.TrialId} of sweep {sweep.Id} has no stored checkpoint");
            overrides.AddRange([$"load_from={checkpoint.Uri}", "resume=false"]);
        }
        overrides.AddRange(sets);
        return overrides;
    }
}
