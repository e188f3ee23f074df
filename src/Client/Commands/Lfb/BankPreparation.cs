using System.Security.Cryptography;
using System.Text;
using Cluster.Abstractions.Lfb;
using Cluster.Client.Commands.Experiments;
using Cluster.Grains.Data;
using Cluster.Training.BankJobs;
using Cluster.Training.Configs;

namespace Cluster.Client.Commands.Lfb;

/// <summary>
/// Turns <c>cluster lfb compute</c>'s arguments into a bank request, checked here before anyone is contacted: the
/// config loads (paths made absolute), its split's dataset lists the videos, its model can extract person features,
/// a local <c>load_from</c> exists; split, dtype and shard count are valid.
/// </summary>
internal static class BankPreparation
{
    public sealed record Prepared(string BankId, BankRequest Request);

    public static Prepared Prepare(string configPath, string split, string dtype, int? shards, string? bankId,
        IReadOnlyList<string> overrides, string? device, string workingDirectory, int? workers = null)
    {
        if (workers is < 1) throw new ArgumentException($"--workers {workers}: must be at least 1");
        if (!BankSplits.All.Contains(split))
            throw new ArgumentException($"--split '{split}': use {string.Join(" or ", BankSplits.All)}");
        if (!BankSplits.Dtypes.Contains(dtype))
            throw new ArgumentException($"--dtype '{dtype}': use {string.Join(" or ", BankSplits.Dtypes)}");
        if (shards is < 1) throw new ArgumentException($"--shards {shards}: must be at least 1");
        if (bankId is not null) CheckId(bankId);
        string? deviceKind = ExperimentSubmission.DeviceKind(device);
        var document = ConfigLoader.Load(configPath, overrides);
        var absolute = ConfigPaths.Absolutize(document, workingDirectory);
        if (absolute.Count > 0) document = ConfigLoader.Load(configPath, [.. overrides, .. absolute]);
        var input = BankInput.From(document, split);
        var videos = BankShardJob.SplitVideos(input);
        string name = Path.GetFileNameWithoutExtension(configPath);
        string yaml = document.ToYaml();
        var request = new BankRequest(name, yaml, split, dtype, Math.Min(shards ?? DefaultShards(videos.Count), videos.Count),
            DatasetIdentity.Of(document, BankSplits.Dataloader(split)), videos, deviceKind, workers);
        return new Prepared(bankId ?? DefaultId(name, yaml), request);
    }

    /// <summary>About four videos a shard, at most 64 shards: small enough to spread, big enough to batch.</summary>
    private static int DefaultShards(int videos) => Math.Clamp((videos + 3) / 4, 1, 64);

    /// <summary>
    /// <c>&lt;config name&gt;-&lt;8 hex of the merged config's hash&gt;</c>: the train and val splits of one config land in
    /// the same bank folder (what FBOHead's lfb_prefix_path names), and asking again continues the same bank.
    /// </summary>
    internal static string DefaultId(string configName, string yaml) =>
        $"{configName}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(yaml)))[..8]}";

    private static void CheckId(string id)
    {
        if (id.Length == 0 || id.Length > 200 || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') || id.StartsWith('.'))
            throw new ArgumentException($"--bank '{id}': use letters, digits, '-', '_' and '.' (not first), at most 200");
    }
}
