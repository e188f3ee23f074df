using Cluster.Abstractions.Experiments;
using Cluster.Abstractions.Sweeps;

namespace Cluster.Tests.Client.Sweeps;

/// <summary>Hand-made sweep statuses for the report and view tests.</summary>
internal static class SweepStatuses
{
    public const string Lr = "optim_wrapper.optimizer.lr";
    public const string Wd = "optim_wrapper.optimizer.weight_decay";

    public static CheckpointRef Checkpoint(string experiment, int epoch) =>
        new($"experiments/{experiment}/best_acc_top1_epoch_{epoch}.pth", $"file:///artifacts/experiments/{experiment}/best_acc_top1_epoch_{epoch}.pth",
            new string('a', 64), 1234, epoch, epoch * 10L, IsBest: true);

    public static TrialStatus Trial(int index, string lr, string wd, TrialState state, double[] history, string? reason = null)
    {
        var id = $"sw-t{index:000}";
        var points = history.Select((v, i) => new MetricPoint(i + 1, v)).ToList();
        bool ended = state.IsTerminal();
        return new TrialStatus(id, index, new Dictionary<string, string> { [Lr] = lr, [Wd] = wd }, state, reason,
            state == TrialState.Pending ? null : id, 0, points.Count,
            points.Count > 0 ? points[^1].Value : null, points.Count > 0 ? points.Max(p => p.Value) : null, points,
            ended && points.Count > 0 ? Checkpoint(id, points.MaxBy(p => p.Value)!.Epoch) : null,
            state == TrialState.Pending ? null : DateTimeOffset.UnixEpoch, ended ? DateTimeOffset.UnixEpoch.AddHours(1) : null);
    }

    /// <summary>
    /// Five trials of an ASHA sweep: t000 completed, t001 stopped after one epoch, t002 completed and best (0.8 at epoch
    /// 4), t003 still running, t004 pending.
    /// </summary>
    public static SweepStatus Asha(SweepState state = SweepState.Running)
    {
        TrialStatus[] trials =
        [
            Trial(0, "0.001", "0.0", TrialState.Completed, [0.3, 0.5, 0.6, 0.7]),
            Trial(1, "0.05", "0.0001", TrialState.Stopped, [0.2], "stopped by ASHA at epoch 1, below the rung cutoff"),
            Trial(2, "0.01", "0.001", TrialState.Completed, [0.4, 0.6, 0.75, 0.8]),
            Trial(3, "0.003", "0.0001", TrialState.Running, [0.35, 0.45]),
            Trial(4, "0.02", "0.0", TrialState.Pending, []),
        ];
        return new SweepStatus
        {
            Id = "sw", Name = "sweep_tiny_synth", State = state, Metric = "acc/top1", Mode = "max", SearchAlgorithm = "random",
            Scheduler = "asha", PlannedTrials = 5, MaxConcurrentTrials = 2, WorkersPerTrial = 1, ConfigName = "sweep_tiny_synth",
            Trials = trials,
            Best = new BestTrial("sw-t002", trials[2].Parameters, 0.8, 4, "sw-t002", trials[2].Checkpoint),
            SearchSpace = new Dictionary<string, string> { [Lr] = "loguniform", [Wd] = "choice" },
            CreatedAt = DateTimeOffset.UnixEpoch,
        };
    }
}
