namespace Cluster.Training.Synthetic;

/// <summary>Which representations <see cref="UcfSynthesizer"/> writes.</summary>
[Flags]
public enum SynthFormats
{
    Videos = 1,
    Rawframes = 2,
    Both = Videos | Rawframes,
}

/// <summary>Settings of a synthetic UCF101-style dataset.</summary>
public sealed record SynthOptions
{
    public required string OutDir { get; init; }
    public int Classes { get; init; } = 8;
    public int VideosPerClass { get; init; } = 20;
    public int Seed { get; init; }

    /// <summary>Classes differ only in motion; shape, colour and size are random per video, and a single frame (or an
    /// order-free average of frames) carries no class information.</summary>
    public bool MotionOnly { get; init; }

    public int Frames { get; init; } = 16;

    /// <summary>Frame width and height in pixels.</summary>
    public int Size { get; init; } = 64;

    public double Fps { get; init; } = 25;
    public SynthFormats Formats { get; init; } = SynthFormats.Both;

    /// <summary>Share of each class's videos (its last groups) that goes to the validation list.</summary>
    public double ValFraction { get; init; } = 0.2;

    internal void Validate()
    {
        if (Classes < 1 || VideosPerClass < 1 || Frames < 2 || Size < 16 || Fps <= 0)
            throw new ArgumentException(
                $"SynthOptions: need classes ≥ 1, videos per class ≥ 1, frames ≥ 2, size ≥ 16, fps > 0 (got {this})");
        if (ValFraction is < 0 or >= 1)
            throw new ArgumentException($"SynthOptions.ValFraction must be in [0, 1), got {ValFraction}");
    }
}
