using Cluster.Abstractions.Sweeps;
using Cluster.Tests.Experiments;
using Cluster.Tests.Grains;

namespace Cluster.Tests.Sweeps.Grains;

/// <summary>Sweep specs over the tiny demo model on a synthetic set: the merged demo config plus the two sweep sections.</summary>
internal static class SweepSpecs
{
    public static List<string> TrainingOverrides(DemoDataset data, int epochs)
    {
        var overrides = data.Overrides();
        overrides.AddRange([
            $"train_cfg.max_epochs={epochs}", $"param_scheduler.0.end={epochs}", "param_scheduler.0.milestones=[100]",
            "randomness.seed=1", "default_hooks.logger.interval=1", "train_dataloader.batch_size=2",
            "train_dataloader.num_workers=0", "val_dataloader.num_workers=0", "default_hooks.checkpoint.interval=1",
        ]);
        return overrides;
    }

    /// <param name="searchSpace">The body of <c>search_space:</c>, one "key: {distribution}" per line.</param>
    /// <param name="sweep">The body of <c>sweep:</c>, one "key: value" per line.</param>
    public static string Yaml(DemoDataset data, int epochs, string[] searchSpace, string[] sweep, params string[] more)
    {
        var overrides = TrainingOverrides(data, epochs);
        overrides.AddRange(more);
        return SubmissionValidatorTests.DemoYaml([.. overrides])
            + "\nsearch_space:\n" + string.Concat(searchSpace.Select(l => $"  {l}\n"))
            + "sweep:\n" + string.Concat(sweep.Select(l => $"  {l}\n"));
    }

    public static SweepSubmission Submission(string yaml) => new("tiny_sweep", yaml, "tiny_sweep.yaml");
}
