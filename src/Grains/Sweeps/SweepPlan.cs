using Cluster.Abstractions.Experiments;
using Cluster.Abstractions.Sweeps;
using Cluster.Training.Configs;
using Cluster.Training.Experiments;
using Cluster.Training.Sweeps;

namespace Cluster.Grains.Sweeps;

/// <summary>A submitted sweep's parsed spec and what follows from it: trial experiment specs, names for reasons.</summary>
public sealed class SweepPlan
{
    private SweepPlan(SweepSubmission submission, SweepSpec spec)
    {
        Submission = submission;
        Spec = spec;
    }

    public SweepSubmission Submission { get; }
    public SweepSpec Spec { get; }
    public SweepSettings Settings => Spec.Settings;

    /// <exception cref="ConfigException">The spec is invalid (one line naming the file and key).</exception>
    public static SweepPlan Parse(SweepSubmission submission) =>
        new(submission, SweepSpecLoader.Parse(submission.SpecYaml, submission.SpecName));

    public string SearchAlgorithmName => Settings.SearchAlg.ToString().ToLowerInvariant();

    public string ModeName => Settings.Mode == MetricMode.Max ? "max" : "min";

    public string SchedulerName => Settings.Scheduler switch
    {
        AshaSchedulerSettings => "asha",
        MedianStoppingSettings => "median_stopping",
        _ => "fifo",
    };

    /// <summary>How stop reasons name the scheduler: "stopped by ASHA at epoch 2".</summary>
    public string SchedulerTitle => Settings.Scheduler switch
    {
        AshaSchedulerSettings => "ASHA",
        MedianStoppingSettings => "median stopping",
        _ => "FIFO",
    };

    /// <summary>The trial's config as its experiment runs it: resumed (MMEngine's <c>load_from</c> + <c>resume</c>)
    /// from <paramref name="resumeFrom"/> when given; and the epochs it trains.</summary>
    /// <exception cref="ConfigException">The parameters make the config invalid.</exception>
    public (string Yaml, int MaxEpochs) TrialConfig(IReadOnlyDictionary<string, object> parameters, string? resumeFrom)
    {
        var document = Spec.TrialConfig(parameters);
        if (resumeFrom is not null)
            document = ConfigLoader.LoadMerged(document.ToYaml(), Spec.Name, [$"load_from={resumeFrom}", "resume=true"]);
        return (document.ToYaml(), ExperimentConfig.From(document).TrainCfg!.MaxEpochs);
    }

    public ExperimentSpec ExperimentSpec(string sweepId, string configYaml) =>
        new(Submission.Name, configYaml, Settings.WorkersPerTrial, Submission.DeviceKind, SweepId: sweepId);
}
