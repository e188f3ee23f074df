namespace Cluster.Training.Synthetic;

/// <summary>Settings of a synthetic AVA-like set (<see cref="AvaSynthesizer"/>).</summary>
public sealed record AvaSynthOptions
{
    /// <summary>AVA's first second; frame i of a video shows second TimestampStart + i / fps.</summary>
    public const int TimestampStart = 900;

    public required string OutDir { get; init; }
    public int TrainVideos { get; init; } = 16;
    public int ValVideos { get; init; } = 8;

    /// <summary>Length of each video in seconds.</summary>
    public int Seconds { get; init; } = 40;

    public int Fps { get; init; } = 4;

    /// <summary>Frame width and height in pixels.</summary>
    public int Size { get; init; } = 64;

    /// <summary>Seconds between annotated keyframes.</summary>
    public int KeyframeStep { get; init; } = 1;

    public int Seed { get; init; }

    public int TimestampEnd => TimestampStart + Seconds;

    internal void Validate()
    {
        if (TrainVideos < 1 || ValVideos < 1)
            throw new ArgumentException($"AvaSynthOptions: need at least one train and one val video (got {TrainVideos}, {ValVideos})");
        if (Seconds < 12)
            throw new ArgumentException($"AvaSynthOptions.Seconds: need at least 12 seconds (keyframes 2 s from each end, cues apart), got {Seconds}");
        if (Fps is < 2 or > 30)
            throw new ArgumentException($"AvaSynthOptions.Fps: must be in 2..30, got {Fps}");
        if (Size is < 32 or > 512)
            throw new ArgumentException($"AvaSynthOptions.Size: must be in 32..512 pixels, got {Size}");
        if (KeyframeStep < 1 || KeyframeStep > Seconds / 4)
            throw new ArgumentException($"AvaSynthOptions.KeyframeStep: must be in 1..{Seconds / 4} seconds, got {KeyframeStep}");
    }
}
