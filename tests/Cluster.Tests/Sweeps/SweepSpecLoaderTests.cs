using Cluster.Training.Configs;
using Cluster.Training.Sweeps;

namespace Cluster.Tests.Sweeps;

public class SweepSpecLoaderTests : IDisposable
{
    private readonly SweepSpecFiles _files = new();

    public void Dispose() => _files.Dispose();

    private SweepSpec Load(string body, params string[] overrides) => SweepSpecLoader.Load(_files.Write(body), overrides);

    private ConfigException Reject(string body) => Assert.Throws<ConfigException>(() => Load(body));

    [Fact]
    public void ReadsTheSearchSpaceAndTheSettings()
    {
        var spec = Load("""
            search_space:
              optim_wrapper.optimizer.lr: {type: loguniform, lower: 0.001, upper: 0.1}
              optim_wrapper.optimizer.weight_decay: {type: choice, values: [0.0, 0.0001]}
              train_dataloader.batch_size: {type: grid, values: [4, 8]}
              model.backbone.depth: {type: choice, values: [18, 34]}
              optim_wrapper.optimizer.momentum: {type: quniform, lower: 0.5, upper: 0.9, q: 0.1}
              train_dataloader.num_workers: {type: randint, lower: 0, upper: 3}
            sweep:
              search_alg: grid
              num_samples: 3
              metric: acc/top1
              mode: max
              max_concurrent_trials: 4
              workers_per_trial: 2
              max_failures: 1
              seed: 5
              scheduler: {type: asha, time_attr: epoch, grace_period: 2, reduction_factor: 3, max_t: 18}
              stop: {time_budget_s: 3600, metric_target: 0.99}
            """);

        Assert.Equal(
        [
            new SearchDimension("optim_wrapper.optimizer.lr", new LogUniformDistribution(0.001, 0.1)),
            new SearchDimension("optim_wrapper.optimizer.momentum", new QUniformDistribution(0.5, 0.9, 0.1, Integral: false)),
            new SearchDimension("train_dataloader.num_workers", new RandIntDistribution(0, 3)),
        ], spec.SearchSpace.Where(d => d.Distribution is not CategoricalDistribution));
        Assert.Equal([0.0, 0.0001], ((ChoiceDistribution)spec.SearchSpace[1].Distribution).Values);
        Assert.Equal([4L, 8L], ((GridDistribution)spec.SearchSpace[2].Distribution).Values);
        Assert.Equal(new SweepSettings(SearchAlgorithm.Grid, 3, "acc/top1", MetricMode.Max, 4, 2, 1, 5,
            new AshaSchedulerSettings(2, 3, 18), new StopConditions(3600, 0.99), TpeSettings.Default), spec.Settings);
        Assert.Equal(2 * 3, spec.TotalTrials);
        Assert.DoesNotContain("search_space", spec.BaseConfigYaml);
        Assert.DoesNotContain("sweep", spec.BaseConfigYaml);
    }

    [Fact]
    public void DefaultsFollowRayTune()
    {
        var spec = Load($"{SweepSpecFiles.LrSpace}\nsweep: {{metric: loss, mode: min, scheduler: {{type: asha}}}}");
        // search_alg random, one sample, no concurrency limit, one worker, no retries, seed 0; ASHA grace 1, rf 4, and
        // max_t = the trials' train_cfg.max_epochs (20 in the demo config).
        Assert.Equal(new SweepSettings(SearchAlgorithm.Random, 1, "loss", MetricMode.Min, int.MaxValue, 1, 0, 0,
            new AshaSchedulerSettings(1, 4, 20), StopConditions.None, TpeSettings.Default), spec.Settings);
        Assert.IsType<FifoSchedulerSettings>(Load($"{SweepSpecFiles.LrSpace}\n{SweepSpecFiles.MinimalSweep}").Settings.Scheduler);
    }

    [Fact]
    public void TrialConfigIsTheBaseWithTheParametersSetWithTheirTypes()
    {
        var spec = Load($$"""
            search_space:
              optim_wrapper.optimizer.lr: {type: loguniform, lower: 0.001, upper: 0.1}
              train_dataloader.batch_size: {type: choice, values: [4, 8]}
              default_hooks.checkpoint.save_best: {type: choice, values: ['acc/top1', auto]}
            {{SweepSpecFiles.MinimalSweep}}
            """);
        var parameters = new Dictionary<string, object>
        {
            ["optim_wrapper.optimizer.lr"] = 0.01, ["train_dataloader.batch_size"] = 4L, ["default_hooks.checkpoint.save_best"] = "acc/top1",
        };

        var trial = ConfigLoader.LoadMerged(spec.TrialConfigYaml(parameters), "trial");
        Assert.Equal(0.01, trial.Get("optim_wrapper.optimizer.lr"));
        Assert.Equal(4L, trial.Get("train_dataloader.batch_size"));
        Assert.Equal("acc/top1", trial.Get("default_hooks.checkpoint.save_best"));
        Assert.Equal(0.9, trial.Get("optim_wrapper.optimizer.momentum")); // untouched keys keep the base's values
        // An integer-valued float stays a float (a learning rate of 1 is 1.0, not the integer 1).
        Assert.Equal(1.0, Assert.IsType<double>(ConfigLoader.LoadMerged(spec.TrialConfigYaml(
            new Dictionary<string, object> { ["optim_wrapper.optimizer.lr"] = 1.0 }), "t").Get("optim_wrapper.optimizer.lr")));
    }

    [Fact]
    public void ASearchKeyMayIndexIntoAList()
    {
        // As with --set, an integer segment indexes a list: the first param_scheduler's gamma.
        var spec = Load($"search_space:\n  param_scheduler.0.gamma: {{type: uniform, lower: 0.1, upper: 0.5}}\n{SweepSpecFiles.MinimalSweep}");
        var trial = ConfigLoader.LoadMerged(spec.TrialConfigYaml(new Dictionary<string, object> { ["param_scheduler.0.gamma"] = 0.25 }), "t");
        Assert.Equal(0.25, trial.Get("param_scheduler.0.gamma"));
        Assert.Equal("MultiStepLR", trial.Get("param_scheduler.0.type"));
    }

    [Fact]
    public void TheSpecTextReadsBackToTheSameSpec()
    {
        var spec = Load($"{SweepSpecFiles.LrSpace}\nsweep: {{metric: acc/top1, mode: max, num_samples: 4, scheduler: {{type: median_stopping}}}}");
        var again = SweepSpecLoader.Parse(spec.ToYaml(), "shipped");
        Assert.Equal(spec.SearchSpace, again.SearchSpace);
        Assert.Equal(spec.Settings, again.Settings);
        Assert.Equal(spec.BaseConfigYaml, again.BaseConfigYaml);
        Assert.Equal("shipped", again.Name);
    }

    [Fact]
    public void OverridesApplyToSweepKeysToo()
    {
        var spec = Load($"{SweepSpecFiles.LrSpace}\n{SweepSpecFiles.MinimalSweep}", "sweep.num_samples=6", "train_cfg.max_epochs=3");
        Assert.Equal(6, spec.Settings.NumSamples);
        Assert.Contains("max_epochs: 3", spec.BaseConfigYaml);
    }

    [Fact]
    public void ASearchKeyMissingFromTheConfigIsNamedWithASuggestion()
    {
        var error = Reject($"search_space:\n  optim_wrapper.optimizer.lrr: {{type: uniform, lower: 0.1, upper: 0.2}}\n{SweepSpecFiles.MinimalSweep}");
        Assert.EndsWith("spec.yaml: search_space.optim_wrapper.optimizer.lrr: not a key of the config (did you mean 'optim_wrapper.optimizer.lr'?)",
            error.Message);
    }

    [Fact]
    public void AMisspeltMiddleSegmentIsSuggestedWithTheRestOfThePath() =>
        Assert.EndsWith("search_space.optim_wrapper.optimzer.lr: not a key of the config (did you mean 'optim_wrapper.optimizer.lr'?)",
            Reject($"search_space:\n  optim_wrapper.optimzer.lr: {{type: uniform, lower: 0.1, upper: 0.2}}\n{SweepSpecFiles.MinimalSweep}").Message);

    [Fact]
    public void ASearchKeyNamingASectionIsRejected() =>
        Assert.Contains("search_space.optim_wrapper.optimizer: names a mapping in the config",
            Reject($"search_space:\n  optim_wrapper.optimizer: {{type: choice, values: [1]}}\n{SweepSpecFiles.MinimalSweep}").Message);

    [Theory]
    [InlineData("{type: uniform, lower: 0.5, upper: 0.5}", "lr.upper: must be greater than lower (0.5), got 0.5")]
    [InlineData("{type: loguniform, lower: 0, upper: 0.1}", "lr.lower: must be greater than 0 for loguniform, got 0")]
    [InlineData("{type: loguniform, lower: 0.1}", "lr.upper: missing: required")]
    [InlineData("{type: randint, lower: 1.5, upper: 4}", "lr.lower: must be an integer, got float 1.5")]
    [InlineData("{type: randint, lower: 3, upper: 3}", "lr.upper: must be greater than lower (3; upper is exclusive), got 3")]
    [InlineData("{type: quniform, lower: 0.05, upper: 1, q: 0.1}", "lr.lower: 0.05 is not a multiple of q = 0.1")]
    [InlineData("{type: quniform, lower: 0, upper: 1, q: 0}", "lr.q: must be greater than 0, got 0")]
    [InlineData("{type: choice, values: []}", "lr.values: must be a non-empty list")]
    [InlineData("{type: grid, values: 0.1}", "lr.values: must be a non-empty list, got float 0.1")]
    [InlineData("{type: choice, values: [0.1, [0.2]]}", "lr.values.1: must be a number, string or boolean, got a list")]
    [InlineData("{type: loguniformm, lower: 0.1, upper: 1}", "lr.type: 'loguniformm' is not one of uniform, loguniform, randint, quniform, choice, grid (did you mean 'loguniform'?)")]
    [InlineData("{type: uniform, lower: 0.1, upper: 1, q: 0.1}", "lr.q: unknown key (known: type, lower, upper)")]
    [InlineData("{lower: 0.1, upper: 1}", "lr.type: missing: one of uniform")]
    [InlineData("0.1", "lr: must be a mapping, got float 0.1")]
    public void AnInvalidDistributionIsNamed(string distribution, string problem)
    {
        var error = Reject($"search_space:\n  optim_wrapper.optimizer.lr: {distribution}\n{SweepSpecFiles.MinimalSweep}");
        Assert.Contains($"spec.yaml: search_space.optim_wrapper.optimizer.{problem}", error.Message);
    }

    [Theory]
    [InlineData("num_samples: 0", "sweep.num_samples: must be at least 1, got 0")]
    [InlineData("max_concurrent_trials: 0", "sweep.max_concurrent_trials: must be at least 1, got 0")]
    [InlineData("workers_per_trial: 0", "sweep.workers_per_trial: must be at least 1, got 0")]
    [InlineData("max_failures: -1", "sweep.max_failures: must be at least 0, got -1")]
    [InlineData("num_samples: 2.5", "sweep.num_samples: must be an integer ≥ 1, got float 2.5")]
    [InlineData("search_alg: bayes", "sweep.search_alg: 'bayes' is not one of grid, random, tpe")]
    [InlineData("metrc: acc/top5", "sweep.metrc: unknown key (did you mean 'metric'?)")]
    [InlineData("scheduler: {type: asha, reduction_factor: 1}", "sweep.scheduler.reduction_factor: must be at least 2, got 1")]
    [InlineData("scheduler: {type: asha, grace_period: 0}", "sweep.scheduler.grace_period: must be at least 1, got 0")]
    [InlineData("scheduler: {type: asha, grace_period: 4, max_t: 2}", "sweep.scheduler.max_t: must be at least grace_period (4), got 2")]
    [InlineData("scheduler: {type: asha, max_t: 40}", "sweep.scheduler.max_t: 40 is never reached: trials end at train_cfg.max_epochs = 20")]
    [InlineData("scheduler: {type: asha, time_attr: time_total_s}", "sweep.scheduler.time_attr: 'time_total_s' is not supported")]
    [InlineData("scheduler: {type: hyperband}", "sweep.scheduler.type: 'hyperband' is not one of fifo, asha, median_stopping")]
    [InlineData("scheduler: {type: median_stopping, min_samples_required: 0}", "sweep.scheduler.min_samples_required: must be at least 1, got 0")]
    [InlineData("scheduler: {type: fifo, grace_period: 1}", "sweep.scheduler.grace_period: unknown key")]
    [InlineData("stop: {time_budget_s: 0}", "sweep.stop.time_budget_s: must be greater than 0, got 0")]
    [InlineData("tpe: {gamma: 0.5}", "sweep.tpe: only applies with search_alg: tpe")]
    [InlineData("search_alg: tpe\n  tpe: {gamma: 1.5}", "sweep.tpe.gamma: must be in (0, 1], got 1.5")]
    public void AnInvalidSettingIsNamed(string setting, string problem)
    {
        var error = Reject($"{SweepSpecFiles.LrSpace}\nsweep:\n  metric: acc/top1\n  mode: max\n  {setting}");
        Assert.Contains($"spec.yaml: {problem}", error.Message);
    }

    [Theory]
    [InlineData("sweep: {mode: max}", "sweep.metric: missing")]
    [InlineData("sweep: {metric: acc/top1}", "sweep.mode: missing: max or min")]
    [InlineData("sweep: {metric: acc/top1, mode: maximum}", "sweep.mode: 'maximum' is not one of max, min")]
    [InlineData("sweep: {metric: '  ', mode: max}", "sweep.metric: missing")]
    [InlineData("sweep: [1]", "sweep: must be a mapping, got a list")]
    [InlineData("", "sweep: missing: a sweep spec needs a sweep section")]
    public void MissingOrMalformedSettingsAreNamed(string sweep, string problem) =>
        Assert.Contains($"spec.yaml: {problem}", Reject($"{SweepSpecFiles.LrSpace}\n{sweep}").Message);

    [Fact]
    public void ASpecWithoutASearchSpaceIsRejected() =>
        Assert.Contains("spec.yaml: search_space: missing", Reject(SweepSpecFiles.MinimalSweep).Message);

    [Fact]
    public void AnUnknownTopLevelKeyIsStillATypo() =>
        Assert.Contains("spec.yaml: serch_space: unknown top-level key",
            Reject($"serch_space: {{}}\n{SweepSpecFiles.LrSpace}\n{SweepSpecFiles.MinimalSweep}").Message);

    [Theory]
    // The lower edge of a range (0 epochs) makes an invalid trial, found before any trial starts.
    [InlineData("train_cfg.max_epochs: {type: randint, lower: 0, upper: 3}", "train_cfg.max_epochs", "0")]
    // A batch size drawn as a float cannot bind to an integer key.
    [InlineData("train_dataloader.batch_size: {type: uniform, lower: 2, upper: 8}", "train_dataloader.batch_size", "2")]
    // One bad value among choices is found although a random trial might never draw it.
    [InlineData("optim_wrapper.optimizer.momentum: {type: choice, values: [0.9, fast]}", "optim_wrapper.optimizer.momentum", "fast")]
    [InlineData("optim_wrapper.optimizer.type: {type: choice, values: [SGD, Sgdd]}", "optim_wrapper.optimizer.type", "Sgdd")]
    public void AValueThatMakesTheTrialConfigInvalidIsRejectedUpFront(string entry, string key, string value)
    {
        var error = Reject($"search_space:\n  {entry}\n{SweepSpecFiles.MinimalSweep}");
        Assert.Contains($"spec.yaml: search_space.{key}: the trial config is invalid with {key} = {value}: ", error.Message);
    }

    [Fact]
    public void TheTrialConfigErrorSaysWhatTheEngineRejected() =>
        Assert.EndsWith("spec.yaml: search_space.train_cfg.max_epochs: the trial config is invalid with train_cfg.max_epochs = 0: must be at least 1, got 0",
            Reject($"search_space:\n  train_cfg.max_epochs: {{type: randint, lower: 0, upper: 3}}\n{SweepSpecFiles.MinimalSweep}").Message);
}
