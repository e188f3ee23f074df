namespace Cluster.Training.Data.Transforms;

/// <summary>
/// A pipeline entry (<c>type: SampleFrames</c>, ...). Each concrete subclass carries MMAction2's keys and defaults
/// and builds the runtime transform.
/// </summary>
public abstract class TransformConfig
{
    public abstract IVideoTransform Build();
}

/// <summary>One pipeline step: reads and updates the sample in place.</summary>
public interface IVideoTransform
{
    void Apply(VideoSample sample);
}
