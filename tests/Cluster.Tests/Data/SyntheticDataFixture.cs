using Cluster.Training.Synthetic;
using Cluster.Tests.Synthetic;

namespace Cluster.Tests.Data;

/// <summary>A tiny generated dataset (2 classes × 5 videos, 8 frames of 32 px), shared by the loader tests.</summary>
public sealed class SyntheticDataFixture : IDisposable
{
    private readonly TempDirectory dir = new();

    public SyntheticDataFixture() =>
        Result = UcfSynthesizer.Generate(new SynthOptions
        {
            OutDir = dir.Path, Classes = 2, VideosPerClass = 5, Frames = 8, Size = 32, Seed = 3, ValFraction = 0,
        });

    public SynthResult Result { get; }

    public void Dispose() => dir.Dispose();
}
