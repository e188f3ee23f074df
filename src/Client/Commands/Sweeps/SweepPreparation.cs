using Cluster.Abstractions.Sweeps;
using Cluster.Client.Commands.Experiments;
using Cluster.Training.Configs;
using Cluster.Training.Sweeps;

namespace Cluster.Client.Commands.Sweeps;

/// <summary>
/// Turns a sweep spec file into what the cluster is sent: parsed and validated here (a bad spec fails before anyone is
/// contacted, naming its file and key), relative paths of the base config made absolute against the working directory,
/// shipped as one self-contained YAML document, under a fresh sweep id.
/// </summary>
internal static class SweepPreparation
{
    public sealed record Prepared(string Id, SweepSubmission Submission, SweepSpec Spec);

    public static Prepared Prepare(string specPath, IReadOnlyList<string> overrides, string? device, string workingDirectory)
    {
        string? deviceKind = ExperimentSubmission.DeviceKind(device);
        var spec = SweepSpecLoader.Load(specPath, overrides);
        var absolute = ConfigPaths.Absolutize(ConfigLoader.LoadMerged(spec.BaseConfigYaml, spec.Name), workingDirectory);
        if (absolute.Count > 0) spec = SweepSpecLoader.Load(specPath, [.. overrides, .. absolute]);
        var name = Path.GetFileNameWithoutExtension(specPath);
        return new Prepared(ExperimentSubmission.NewId(name, DateTimeOffset.UtcNow),
            new SweepSubmission(name, spec.ToYaml(), spec.Name, deviceKind), spec);
    }
}
