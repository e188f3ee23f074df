using Cluster.Training.Data.Transforms;

namespace Cluster.Training.Data.Datasets;

/// <summary>A <c>dataset:</c> section (MMAction2's BaseActionDataset keys).</summary>
public abstract class DatasetConfig
{
    public required string AnnFile { get; init; }

    /// <summary>MMEngine's <c>data_root</c>: joined in front of a relative <c>ann_file</c> and data prefix.</summary>
    public string? DataRoot { get; init; }

    public DataPrefixConfig DataPrefix { get; init; } = new();
    public List<TransformConfig> Pipeline { get; init; } = [];
    /// <summary>Accepted; as in MMAction2, test-time sampling is chosen by <c>SampleFrames.test_mode</c>.</summary>
    public bool TestMode { get; init; }
    public bool MultiClass { get; init; }
    public int? NumClasses { get; init; }
    public string Modality { get; init; } = "RGB";

    /// <summary>Our addition: replace a sample whose video or frames are missing or corrupt by the next valid one
    /// (and count it) instead of failing.</summary>
    public bool SkipInvalid { get; init; }

    public abstract ActionDataset Build();

    protected string ResolveAnnFile() =>
        string.IsNullOrEmpty(AnnFile) ? throw new ArgumentException("dataset.ann_file is required") : Resolve(AnnFile);

    protected string Resolve(string? path) =>
        DataRoot is null || path is null || Path.IsPathRooted(path) ? path ?? "" : Path.Combine(DataRoot, path);
}

/// <summary><c>data_prefix: {video: DIR}</c> for videos, <c>{img: DIR}</c> for rawframes.</summary>
public sealed class DataPrefixConfig
{
    public string? Video { get; init; }
    public string? Img { get; init; }
}
