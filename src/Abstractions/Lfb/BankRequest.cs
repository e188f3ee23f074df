namespace Cluster.Abstractions.Lfb;

/// <summary>What a client asks of a bank: one split of a config's data, computed with the config's model.</summary>
/// <param name="ConfigName">For messages and the index.</param>
/// <param name="ConfigYaml">The merged config (paths absolute), as the worker loads it.</param>
/// <param name="Split"><c>train</c> or <c>val</c> (<see cref="BankSplits"/>).</param>
/// <param name="Dtype"><c>float32</c> or <c>float16</c>: how the bank and its parts store features.</param>
/// <param name="Shards">How many dataset shards the split's videos are cut into (at most one per video).</param>
/// <param name="Dataset">The dataset identity shard keys start with (a hash of the split's files).</param>
/// <param name="Videos">The split's video ids, in the order shards take them (contiguous runs).</param>
/// <param name="DeviceKind"><c>cpu</c>, <c>cuda</c> or null for any (CUDA first).</param>
/// <param name="MaxWorkers">The most slots computing at once; null: as many as are free.</param>
[GenerateSerializer, Immutable]
public sealed record BankRequest(
    [property: Id(0)] string ConfigName,
    [property: Id(1)] string ConfigYaml,
    [property: Id(2)] string Split,
    [property: Id(3)] string Dtype,
    [property: Id(4)] int Shards,
    [property: Id(5)] string Dataset,
    [property: Id(6)] IReadOnlyList<string> Videos,
    [property: Id(7)] string? DeviceKind = null,
    [property: Id(8)] int? MaxWorkers = null);

public static class BankSplits
{
    public static readonly IReadOnlyList<string> All = ["train", "val"];
    public static readonly IReadOnlyList<string> Dtypes = ["float32", "float16"];

    /// <summary>The config's dataloader whose dataset a split reads.</summary>
    public static string Dataloader(string split) => $"{split}_dataloader";

    /// <summary>Where a split's merged bank goes: <c>banks/{id}/lfb_{split}.bank</c> (what FBOHead's lfb_prefix_path reads).</summary>
    public static string BankKey(string bankId, string split) => $"{Prefix(bankId)}lfb_{split}.bank";

    /// <summary>Where a shard's part goes: <c>banks/{id}/parts/{split}/{shard}.bank</c>.</summary>
    public static string PartKey(string bankId, string split, int shard) => $"{Prefix(bankId)}parts/{split}/{shard}.bank";

    public static string Prefix(string bankId) => $"banks/{bankId}/";

    /// <summary>The holder name a bank's slot leases carry in the registry (beside experiment ids).</summary>
    public static string LeaseId(string bankId) => $"bank:{bankId}";

    /// <summary>
    /// The videos of shard <paramref name="index"/> of <paramref name="count"/>: a contiguous run, sizes differing by at
    /// most one (the first <c>videos % count</c> shards take one more).
    /// </summary>
    public static IReadOnlyList<string> ShardVideos(IReadOnlyList<string> videos, int index, int count)
    {
        int size = videos.Count / count, extra = videos.Count % count;
        int start = index * size + Math.Min(index, extra);
        return videos.Skip(start).Take(size + (index < extra ? 1 : 0)).ToList();
    }
}
