namespace Cluster.Training.Synthetic;

/// <summary>What <see cref="UcfSynthesizer.Generate"/> wrote. List paths are null for formats not written.</summary>
public sealed record SynthResult(
    string OutDir,
    IReadOnlyList<SynthClass> Classes,
    int TrainVideos,
    int ValVideos,
    string VideoExtension,
    string? TrainList,
    string? ValList,
    string? TrainRawframeList,
    string? ValRawframeList,
    string ClassIndex)
{
    public string VideoDir => Path.Combine(OutDir, "videos");
    public string RawframeDir => Path.Combine(OutDir, "rawframes");
}
