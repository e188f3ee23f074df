using System.Collections.Concurrent;
using Cluster.Training.Storage;

namespace Cluster.Training.Lfb;

/// <summary>
/// The banks this process has read, each read once and shared by every model and thread that asks for it (a worker
/// training an LFB head reads its bank at the first batch, later runs reuse it). References are local paths or blob
/// URIs of the artifact store; a blob is fetched (hash-checked) through the <see cref="ArtifactLocator"/> the
/// process registers with <see cref="UseLocator"/>. A failed read is not cached, so a later call tries again.
/// </summary>
public sealed class FeatureBankCache
{
    private readonly ConcurrentDictionary<string, Lazy<FeatureBank>> banks = new(StringComparer.Ordinal);
    private ArtifactLocator? locator;
    private int reads;

    /// <summary>The process-wide cache FBOHead uses.</summary>
    public static FeatureBankCache Shared { get; } = new();

    /// <summary>Bank files read so far (each reference at most once while it stays cached).</summary>
    public int Reads => Volatile.Read(ref reads);

    /// <summary>Lets blob URIs (and hash-checked local store paths) be read; a silo or worker calls this once.</summary>
    public void UseLocator(ArtifactLocator artifacts) => locator = artifacts ?? throw new ArgumentNullException(nameof(artifacts));

    /// <summary>The file a split's bank has under <paramref name="prefix"/> (a folder or a blob prefix): <c>lfb_{split}.bank</c>.</summary>
    public static string SplitReference(string prefix, string split) =>
        ArtifactLocator.IsBlobUri(prefix)
            ? $"{prefix.TrimEnd('/')}/lfb_{split}{FeatureBankFile.Extension}"
            : Path.Combine(prefix, $"lfb_{split}{FeatureBankFile.Extension}");

    /// <summary>One bank: a path or blob URI.</summary>
    /// <exception cref="FileNotFoundException">No such bank (named).</exception>
    /// <exception cref="FeatureBankFormatException">Not a bank, truncated or corrupt (named).</exception>
    public FeatureBank Get(string reference)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reference);
        return Cached(KeyOf(reference), () => Read(reference));
    }

    /// <summary>The banks of several splits under one prefix (MMAction2's <c>dataset_modes</c>), merged.</summary>
    public FeatureBank GetSplits(string prefix, IReadOnlyList<string> splits)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);
        if (splits.Count == 0) throw new ArgumentException("no dataset splits to read feature banks for");
        var references = splits.Select(split => SplitReference(prefix, split)).ToList();
        if (references.Count == 1) return Get(references[0]);
        return Cached(string.Join('|', references.Select(KeyOf)), () => FeatureBank.Merge(references.Select(Get).ToList()));
    }

    /// <summary>Forgets every bank (memory goes once nothing else holds them).</summary>
    public void Clear() => banks.Clear();

    private FeatureBank Cached(string key, Func<FeatureBank> load)
    {
        var entry = banks.GetOrAdd(key, _ => new Lazy<FeatureBank>(load, LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            return entry.Value;
        }
        catch
        {
            banks.TryRemove(new KeyValuePair<string, Lazy<FeatureBank>>(key, entry));
            throw;
        }
    }

    private static string KeyOf(string reference) => ArtifactLocator.IsBlobUri(reference) ? reference : Path.GetFullPath(reference);

    private FeatureBank Read(string reference)
    {
        string path = Resolve(reference);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        var bank = FeatureBankFile.Read(file, reference);
        Interlocked.Increment(ref reads);
        return bank;
    }

    private string Resolve(string reference)
    {
        var artifacts = locator;
        if (artifacts is null)
        {
            if (ArtifactLocator.IsBlobUri(reference))
                throw new InvalidOperationException($"feature bank '{reference}' is a blob URI, but this process has no artifact store");
            return File.Exists(reference) ? reference : throw new FileNotFoundException($"feature bank '{reference}' does not exist", reference);
        }
        try
        {
            // Off any synchronization context (an Orleans turn may build the model): blocking cannot deadlock it.
            return Task.Run(() => artifacts.ResolveAsync(reference)).GetAwaiter().GetResult();
        }
        catch (ArtifactNotFoundException)
        {
            throw new FileNotFoundException($"feature bank '{reference}' does not exist", reference);
        }
    }
}
