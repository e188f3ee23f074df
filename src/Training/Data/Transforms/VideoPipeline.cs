namespace Cluster.Training.Data.Transforms;

/// <summary>MMAction2's <c>Compose</c>: the transforms of a dataset's <c>pipeline</c>, applied in order.</summary>
public sealed class VideoPipeline
{
    private readonly IReadOnlyList<IVideoTransform> transforms;

    public VideoPipeline(IReadOnlyList<IVideoTransform> transforms)
    {
        if (transforms.Count == 0 || transforms[^1] is not PackActionInputs)
            throw new ArgumentException("pipeline must end with PackActionInputs", nameof(transforms));
        this.transforms = transforms;
    }

    public static VideoPipeline FromConfigs(IEnumerable<TransformConfig> configs) =>
        new(configs.Select(config => config.Build()).ToList());

    public void Apply(VideoSample sample)
    {
        foreach (var transform in transforms)
            transform.Apply(sample);
    }
}
