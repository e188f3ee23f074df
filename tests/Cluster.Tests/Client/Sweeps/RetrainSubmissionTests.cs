using Cluster.Client.Commands.Experiments;
using Cluster.Client.Commands.Sweeps;
using Cluster.Training.Configs;
using Cluster.Tests.Experiments;

namespace Cluster.Tests.Client.Sweeps;

/// <summary>
/// What `cluster retrain` submits: the best trial's merged config (as the sweep returns it) with the plan's overrides
/// applied, checked like any submission, as a new experiment that is no sweep's trial.
/// </summary>
public sealed class RetrainSubmissionTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("retrain-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    /// <summary>A trial config as a sweep holds it: the demo config merged, with the trial's learning rate set.</summary>
    private static string TrialConfig() =>
        ConfigLoader.Load(DemoDataset.Config("demo/tsn_tiny_synth.yaml"), ["optim_wrapper.optimizer.lr=0.0278"]).ToYaml();

    [Fact]
    public void TheTrialsHyperparametersWithMoreEpochsAWarmStartAndMoreWorkers()
    {
        var checkpoint = Path.Combine(directory, "best_acc_top1_epoch_4.pth");
        File.WriteAllBytes(checkpoint, [1]);
        var sweep = SweepStatuses.Asha();
        var best = sweep.Best! with { Checkpoint = SweepStatuses.Checkpoint("sw-t002", 4) with { Uri = checkpoint } };
        var overrides = RetrainPlan.Overrides(sweep, best, epochs: 7, warmStart: true, ["train_cfg.val_interval=2"]);

        var prepared = ExperimentSubmission.PrepareMerged(TrialConfig(), "sweep_tiny_synth-best", overrides, workers: 3, device: "cpu",
            directory);

        Assert.StartsWith("sweep_tiny_synth-best-", prepared.Id);
        Assert.Equal(3, prepared.Spec.Workers);
        Assert.Equal("cpu", prepared.Spec.DeviceKind);
        Assert.Null(prepared.Spec.SweepId); // not a trial: it reports to no sweep
        var config = ConfigLoader.LoadMerged(prepared.Spec.ConfigYaml, "submitted");
        Assert.Equal(0.0278, Convert.ToDouble(config.Get("optim_wrapper.optimizer.lr")));
        Assert.Equal(7L, Convert.ToInt64(config.Get("train_cfg.max_epochs")));
        Assert.Equal(2L, Convert.ToInt64(config.Get("train_cfg.val_interval")));
        Assert.Equal(checkpoint, config.Get("load_from"));
        Assert.Equal(false, config.Get("resume"));
    }

    [Fact]
    public void AnInvalidOverrideIsNamedBeforeSubmitting()
    {
        var error = Assert.Throws<ConfigException>(() => ExperimentSubmission.PrepareMerged(TrialConfig(), "sweep_tiny_synth-best",
            ["train_cfg.max_epochs=0"], workers: null, device: null, directory));

        Assert.Contains("train_cfg.max_epochs", error.Message);
    }
}
