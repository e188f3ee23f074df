using Cluster.Abstractions.Experiments;
using Cluster.Training.Configs;
using Cluster.Training.Experiments;
using Cluster.Training.Storage;

namespace Cluster.Grains.Experiments;

/// <summary>Checks a submission without running anything; every refusal is one line naming what is at fault.</summary>
public static class SubmissionValidator
{
    public static readonly IReadOnlyList<string> DeviceKinds = ["cuda", "cpu"];

    /// <summary>Returns the run's max_epochs. A blob <c>load_from</c> is fetched and verified through <paramref name="artifacts"/>.</summary>
    /// <exception cref="ExperimentRejectedException">The id, worker count, device kind or config is not acceptable.</exception>
    public static int Validate(string id, ExperimentSpec spec, ArtifactLocator? artifacts = null)
    {
        ValidateId(id);
        ValidateGroupSize(id, spec);
        if (spec.DeviceKind is { } kind && !DeviceKinds.Contains(kind))
            throw new ExperimentRejectedException($"experiment '{id}': unknown device kind '{kind}' (expected {string.Join(" or ", DeviceKinds)})");
        try
        {
            var document = ConfigLoader.LoadMerged(spec.ConfigYaml, $"{id}/config.yaml");
            // A path that is never created: Prepare only resolves it. The slot's device is chosen at allocation, so
            // the config is checked as it would run on a CPU slot.
            var workDir = Path.Combine(Path.GetTempPath(), "cluster-validate", id);
            TrainingJob.Prepare(document, workDir, device: "cpu", artifacts);
            return ExperimentConfig.From(document).TrainCfg!.MaxEpochs;
        }
        catch (ConfigException e)
        {
            throw new ExperimentRejectedException(e.Message);
        }
    }

    /// <summary><c>1 ≤ min_workers ≤ workers</c> (workers being the most the group takes, <c>max_workers</c>).</summary>
    public static void ValidateGroupSize(string id, ExperimentSpec spec)
    {
        if (spec.Workers < 1)
            throw new ExperimentRejectedException($"experiment '{id}': workers must be at least 1, got {spec.Workers}");
        if (spec.MinWorkers < 0)
            throw new ExperimentRejectedException($"experiment '{id}': min_workers must be at least 1, got {spec.MinWorkers}");
        if (spec.MinWorkers > spec.Workers)
            throw new ExperimentRejectedException(
                $"experiment '{id}': min_workers {spec.MinWorkers} is more than the {spec.Workers} workers the group takes at most");
    }

    /// <summary>Ids become artifact key segments (<c>experiments/{id}/</c>): letters, digits, '-', '_' and '.', no leading '.'.</summary>
    public static void ValidateId(string id)
    {
        if (string.IsNullOrEmpty(id))
            throw new ExperimentRejectedException("experiment id is empty");
        if (id.Length > 128)
            throw new ExperimentRejectedException($"experiment id '{id[..32]}...' is longer than 128 characters");
        if (id[0] == '.' || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            throw new ExperimentRejectedException($"experiment id '{id}' may hold only letters, digits, '-', '_' and '.', and may not start with '.'");
    }
}
