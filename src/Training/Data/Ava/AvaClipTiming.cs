namespace Cluster.Training.Data.Ava;

/// <summary>
/// Where a keyframe lies in its video's frames: frame i (0-based) shows second <see cref="TimestampStart"/> + i / fps,
/// so the keyframe is frame (timestamp − timestamp_start) · fps of <see cref="ShotFrames"/> frames.
/// </summary>
public sealed record AvaClipTiming(AvaKey Key, int TimestampStart, int Fps, int ShotFrames)
{
    public int CentreFrame => (Key.Timestamp - TimestampStart) * Fps;
}
