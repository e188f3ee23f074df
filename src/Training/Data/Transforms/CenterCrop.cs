using Cluster.Training.Configs;
using OpenCvSharp;

namespace Cluster.Training.Data.Transforms;

[ConfigType("CenterCrop")]
public sealed class CenterCropConfig : TransformConfig
{
    /// <summary>(w, h), or one int for a square.</summary>
    public required List<int> CropSize { get; init; }

    /// <summary>Accepted; transforms here always run eagerly.</summary>
    public bool Lazy { get; init; }

    public override IVideoTransform Build() => new CenterCrop(FrameOps.Pair(CropSize, "CenterCrop.crop_size"));
}

/// <summary>MMAction2's <c>CenterCrop</c>: left = (w − crop_w) // 2, top = (h − crop_h) // 2.</summary>
public sealed class CenterCrop((int Width, int Height) cropSize) : IVideoTransform
{
    public void Apply(VideoSample sample)
    {
        var (height, width) = sample.ImgShape;
        var region = new Rect((width - cropSize.Width) / 2, (height - cropSize.Height) / 2, cropSize.Width, cropSize.Height);
        FrameOps.CropAll(sample, region, "CenterCrop");
    }
}
