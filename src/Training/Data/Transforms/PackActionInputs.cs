using Cluster.Training.Configs;

namespace Cluster.Training.Data.Transforms;

[ConfigType("PackActionInputs")]
public sealed class PackActionInputsConfig : TransformConfig
{
    /// <summary>Accepted for MMAction2 configs; batches here carry no per-sample meta info.</summary>
    public List<string> MetaKeys { get; init; } = ["img_shape", "img_key", "video_id", "timestamp"];

    public override IVideoTransform Build() => new PackActionInputs();
}

/// <summary>Final step of every pipeline: checks the inputs are formatted, ready to collate.</summary>
public sealed class PackActionInputs : IVideoTransform
{
    public void Apply(VideoSample sample)
    {
        if (sample.Inputs is null)
            throw new InvalidOperationException("PackActionInputs needs FormatShape before it");
    }
}
