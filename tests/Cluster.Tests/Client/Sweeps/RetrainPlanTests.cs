using Cluster.Abstractions.Sweeps;
using Cluster.Client.Commands.Sweeps;

namespace Cluster.Tests.Client.Sweeps;

/// <summary>Which trial `cluster retrain --from-sweep` takes and what it changes in its config.</summary>
public sealed class RetrainPlanTests
{
    [Fact]
    public void TakesTheBestFinishedTrial()
    {
        var best = RetrainPlan.BestTrial(SweepStatuses.Asha());

        Assert.Equal("sw-t002", best.TrialId);
        Assert.Equal("0.01", best.Parameters[SweepStatuses.Lr]);
    }

    [Fact]
    public void ASweepWithoutABestIsRefusedNamingIt()
    {
        var sweep = SweepStatuses.Asha() with { Best = null };

        var error = Assert.Throws<ArgumentException>(() => RetrainPlan.BestTrial(sweep));

        Assert.StartsWith("--from-sweep sw: the sweep has no completed best trial", error.Message);
        Assert.Contains("2 of 5 trials completed", error.Message);
    }

    [Fact]
    public void ABestTrialThatIsStillRunningIsRefused()
    {
        var sweep = SweepStatuses.Asha();
        sweep = sweep with { Best = sweep.Best! with { TrialId = "sw-t003" } };

        var error = Assert.Throws<ArgumentException>(() => RetrainPlan.BestTrial(sweep));

        Assert.Contains("sw-t003 is running", error.Message);
    }

    [Fact]
    public void EpochsThenWarmStartThenTheUsersOverrides()
    {
        var sweep = SweepStatuses.Asha();

        var overrides = RetrainPlan.Overrides(sweep, sweep.Best!, epochs: 12, warmStart: true, ["train_cfg.val_interval=2"]);

        Assert.Equal(
        [
            "train_cfg.max_epochs=12",
            "load_from=file:///artifacts/experiments/sw-t002/best_acc_top1_epoch_4.pth",
            "resume=false",
            "train_cfg.val_interval=2",
        ], overrides);
        Assert.Empty(RetrainPlan.Overrides(sweep, sweep.Best!, epochs: null, warmStart: false, []));
    }

    [Fact]
    public void WarmStartWithoutACheckpointIsRefused()
    {
        var sweep = SweepStatuses.Asha();
        var trials = sweep.Trials.Select(t => t with { Checkpoint = null }).ToList();
        sweep = sweep with { Trials = trials, Best = sweep.Best! with { Checkpoint = null } };

        var error = Assert.Throws<ArgumentException>(() => RetrainPlan.Overrides(sweep, sweep.Best!, null, warmStart: true, []));

        Assert.Equal("--warm-start: the best trial sw-t002 of sweep sw has no stored checkpoint", error.Message);
    }
}
