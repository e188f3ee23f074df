using System.Security.Cryptography;
using Cluster.Abstractions.Experiments;
using Cluster.Training.Configs;
using Cluster.Training.Experiments;

namespace Cluster.Client.Commands.Experiments;

/// <summary>
/// Turns a config file into what the cluster is sent: loaded and merged here (a bad config fails before anyone is
/// contacted, naming its file and key), relative paths made absolute against the working directory, checked as a
/// training config, and given a fresh id.
/// </summary>
internal static class ExperimentSubmission
{
    public sealed record Prepared(string Id, ExperimentSpec Spec);

    /// <param name="workers">--workers (the most the group takes), null to follow the config.</param>
    /// <param name="minWorkers">--min-workers, null to follow the config.</param>
    public static Prepared Prepare(string configPath, IReadOnlyList<string> overrides, int? workers, string? device,
        string workingDirectory, int? minWorkers = null) =>
        Build(extra => ConfigLoader.Load(configPath, [.. overrides, .. extra]), Path.GetFileNameWithoutExtension(configPath),
            workers, device, workingDirectory, minWorkers);

    /// <summary><see cref="Prepare"/> for a config the cluster already holds as merged text (a sweep trial's);
    /// <paramref name="name"/> stands for its file in errors and names the experiment.</summary>
    public static Prepared PrepareMerged(string yaml, string name, IReadOnlyList<string> overrides, int? workers, string? device,
        string workingDirectory, int? minWorkers = null) =>
        Build(extra => ConfigLoader.LoadMerged(yaml, name, [.. overrides, .. extra]), name, workers, device, workingDirectory, minWorkers);

    /// <param name="load">Loads the config with these further overrides applied after the user's.</param>
    private static Prepared Build(Func<IReadOnlyList<string>, ConfigDocument> load, string name, int? workers, string? device,
        string workingDirectory, int? minWorkers)
    {
        if (workers is < 1) throw new ArgumentException($"--workers {workers}: must be at least 1");
        if (minWorkers is < 1) throw new ArgumentException($"--min-workers {minWorkers}: must be at least 1");
        string? deviceKind = DeviceKind(device);
        var document = load([]);
        var (most, fewest) = GroupSize.Resolve(document, workers, minWorkers);
        var absolute = ConfigPaths.Absolutize(document, workingDirectory);
        if (absolute.Count > 0) document = load(absolute);
        TrainingJob.Check(document);
        return new Prepared(NewId(name, DateTimeOffset.UtcNow), new ExperimentSpec(name, document.ToYaml(), most, deviceKind, fewest));
    }

    /// <summary><c>&lt;config name&gt;-&lt;yyyyMMdd-HHmmss&gt;-&lt;4 hex&gt;</c> (UTC), unique enough for one person's submissions.</summary>
    internal static string NewId(string configName, DateTimeOffset at) =>
        $"{configName}-{at.UtcDateTime:yyyyMMdd-HHmmss}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(2))}";

    /// <summary>--device picks the kind of slot: cpu, cuda (or cuda:N; the cluster picks the GPU), auto or nothing for any.</summary>
    internal static string? DeviceKind(string? device) => device?.Trim().ToLowerInvariant() switch
    {
        null or "" or "auto" => null,
        "cpu" => "cpu",
        "cuda" => "cuda",
        { } d when d.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(d[5..], out int index) && index >= 0 => "cuda",
        _ => throw new ConfigException("--device", "device", $"'{device}' is not auto, cpu, cuda or cuda:N"),
    };
}
