namespace Cluster.Training.Lfb;

/// <summary>
/// A long-term feature bank (MMAction2's LFB): per video, per integer second, the features of every person box there,
/// [persons, <see cref="Channels"/>] float32 rows. Built by <see cref="Add"/> (BankBuilder) or read from a bank file
/// (<see cref="FeatureBankFile"/>); only read once filled, so lookups from several threads are safe.
/// </summary>
public sealed class FeatureBank
{
    private readonly SortedDictionary<string, SortedDictionary<int, float[]>> videos = new(StringComparer.Ordinal);

    public FeatureBank(int channels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        Channels = channels;
    }

    public int Channels { get; }
    public int VideoCount => videos.Count;
    public int SecondCount { get; private set; }
    public long PersonCount { get; private set; }

    /// <summary>Video ids in ordinal order.</summary>
    public IEnumerable<string> Videos => videos.Keys;

    public bool HasVideo(string videoId) => videos.ContainsKey(videoId);

    /// <summary>The seconds of a video that have features, ascending, with their person counts; none for an unknown video.</summary>
    public IEnumerable<(int Second, int Persons)> SecondsOf(string videoId) =>
        videos.TryGetValue(videoId, out var seconds)
            ? seconds.Select(s => (s.Key, s.Value.Length / Channels))
            : [];

    /// <summary>The rows at (video, second), persons × channels row-major; empty when there are none.</summary>
    public ReadOnlySpan<float> Get(string videoId, int second) =>
        videos.TryGetValue(videoId, out var seconds) && seconds.TryGetValue(second, out var rows) ? rows : default;

    public int PersonsAt(string videoId, int second) => Get(videoId, second).Length / Channels;

    /// <summary>Adds the rows of one (video, second): persons × channels values, row-major.</summary>
    /// <exception cref="ArgumentException">No rows, a length that is not a multiple of the channels, an empty video
    /// id, or a (video, second) that already has features.</exception>
    public void Add(string videoId, int second, ReadOnlySpan<float> rows) => Insert(videoId, second, rows.ToArray());

    /// <summary>
    /// One bank holding every part's features (the parts' row arrays are shared, not copied).
    /// </summary>
    /// <exception cref="ArgumentException">No parts, parts with different channels, or a (video, second) present in
    /// two parts (named, with the parts' positions).</exception>
    public static FeatureBank Merge(IReadOnlyList<FeatureBank> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Count == 0) throw new ArgumentException("merging feature banks needs at least one part");
        int channels = parts[0].Channels;
        var merged = new FeatureBank(channels);
        var origin = new Dictionary<(string, int), int>();
        for (int p = 0; p < parts.Count; p++)
        {
            var part = parts[p];
            if (part.Channels != channels)
                throw new ArgumentException($"feature bank part {p} has {part.Channels} channels, part 0 has {channels}");
            foreach (var (video, seconds) in part.videos)
                foreach (var (second, rows) in seconds)
                {
                    if (origin.TryGetValue((video, second), out int first))
                        throw new ArgumentException(
                            $"video '{video}' second {second} is in two feature bank parts ({first} and {p})");
                    origin[(video, second)] = p;
                    merged.Insert(video, second, rows);
                }
        }
        return merged;
    }

    /// <summary>Whether both banks hold the same (video, second) entries with bit-identical rows.</summary>
    public bool ContentEquals(FeatureBank other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Channels != Channels || other.VideoCount != VideoCount || other.SecondCount != SecondCount) return false;
        foreach (var (video, seconds) in videos)
        {
            if (!other.videos.TryGetValue(video, out var theirs) || theirs.Count != seconds.Count) return false;
            foreach (var (second, rows) in seconds)
                if (!theirs.TryGetValue(second, out var theirRows) || !rows.AsSpan().SequenceEqual(theirRows)) return false;
        }
        return true;
    }

    internal IEnumerable<(string Video, IReadOnlyList<(int Second, float[] Rows)> Seconds)> Entries() =>
        videos.Select(v => (v.Key, (IReadOnlyList<(int, float[])>)v.Value.Select(s => (s.Key, s.Value)).ToList()));

    /// <summary>Adds rows the bank may keep as they are (the caller no longer changes them).</summary>
    internal void Insert(string videoId, int second, float[] rows)
    {
        ArgumentException.ThrowIfNullOrEmpty(videoId);
        if (rows.Length == 0 || rows.Length % Channels != 0)
            throw new ArgumentException(
                $"video '{videoId}' second {second}: {rows.Length} values are not a positive multiple of {Channels} channels");
        if (!videos.TryGetValue(videoId, out var seconds)) videos[videoId] = seconds = new SortedDictionary<int, float[]>();
        if (!seconds.TryAdd(second, rows))
            throw new ArgumentException($"video '{videoId}' second {second} already has features in this bank");
        SecondCount++;
        PersonCount += rows.Length / Channels;
    }
}
