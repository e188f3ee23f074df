using Cluster.Training.Models.Detectors;
using static TorchSharp.torch;

namespace Cluster.Tests.Models.Detectors;

public class SingleRoIExtractor3DTests
{
    private static readonly Tensor Rois = tensor(new float[,]
    {
        { 0, 2, 3, 20, 28 },
        { 1, 10, 0, 31, 17 },
        { 1, 0, 0, 31, 31 },
    });

    [Fact]
    public void WithoutTemporalPoolEveryTimeStepIsRoiAlignedOnItsOwn()
    {
        using var features = randn([2, 3, 4, 8, 8]);
        using var extractor = new SingleRoIExtractor3D(new SingleRoIExtractor3DConfig
        {
            OutputSize = new List<object?> { 2L, 3L }, FeatmapStride = 4, WithTemporalPool = false,
        });

        using var output = extractor.forward(features, Rois);

        Assert.Equal(new long[] { 3, 3, 4, 2, 3 }, output.shape);
        for (int t = 0; t < 4; t++)
        {
            using var expected = RoiAlign.Apply(features[.., .., t], Rois, 2, 3, 0.25, 0, aligned: true);
            Assert.True(output[.., .., t].allclose(expected, rtol: 0, atol: 1e-6), $"time step {t}");
        }
    }

    [Fact]
    public void TemporalPoolAveragesTheFramesBeforeRoiAlign()
    {
        using var features = randn([2, 3, 4, 8, 8]);
        using var extractor = new SingleRoIExtractor3D(new SingleRoIExtractor3DConfig
        {
            OutputSize = 2L, FeatmapStride = 4, SamplingRatio = 2,
        });

        using var output = extractor.forward(features, Rois);

        using var expected = RoiAlign.Apply(features.mean([2]), Rois, 2, 2, 0.25, 2, aligned: true);
        Assert.Equal(new long[] { 3, 3, 1, 2, 2 }, output.shape);
        Assert.True(output.squeeze(2).allclose(expected, rtol: 0, atol: 1e-6));
    }

    [Theory]
    [InlineData("RoIPool", "avg", false, "roi_layer_type")]
    [InlineData("RoIAlign", "max", false, "pool_mode")]
    [InlineData("RoIAlign", "avg", true, "with_global")]
    public void UnsupportedSettingsAreNamed(string layer, string poolMode, bool withGlobal, string key)
    {
        var error = Assert.Throws<ArgumentException>(() => new SingleRoIExtractor3D(new SingleRoIExtractor3DConfig
        {
            RoiLayerType = layer, PoolMode = poolMode, WithGlobal = withGlobal,
        }, "model.roi_head.bbox_roi_extractor"));
        Assert.StartsWith($"model.roi_head.bbox_roi_extractor.{key}:", error.Message);
    }
}
