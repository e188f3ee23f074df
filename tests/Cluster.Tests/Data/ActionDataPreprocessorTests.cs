using Cluster.Training.Data.Preprocessing;
using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Tests.Data;

public class ActionDataPreprocessorTests
{
    private static readonly List<double> Mean = [123.675, 116.28, 103.53];
    private static readonly List<double> Std = [58.395, 57.12, 57.375];

    [Fact]
    public void Normalises_each_channel_of_an_nchw_batch()
    {
        using var batch = stack([full([2, 2], 200, ScalarType.Byte), full([2, 2], 100, ScalarType.Byte), full([2, 2], 0, ScalarType.Byte)])
            .reshape(1, 1, 3, 2, 2);
        var preprocessor = new ActionDataPreprocessor(new ActionDataPreprocessorConfig { Mean = Mean, Std = Std });
        using var result = preprocessor.Apply(batch);
        Assert.Equal(ScalarType.Float32, result.dtype);
        Assert.Equal((200 - 123.675) / 58.395, result[0, 0, 0, 1, 1].item<float>(), 4);
        Assert.Equal((100 - 116.28) / 57.12, result[0, 0, 1, 0, 0].item<float>(), 4);
        Assert.Equal((0 - 103.53) / 57.375, result[0, 0, 2, 1, 0].item<float>(), 4);
    }

    [Fact]
    public void Normalises_channel_axis_of_an_ncthw_batch()
    {
        // [N=2, V=1, C=3, T=2, H=1, W=1] with channel c holding c * 50.
        using var batch = arange(3, dtype: ScalarType.Float32).mul(50).reshape(1, 1, 3, 1, 1, 1).expand(2, 1, 3, 2, 1, 1).contiguous();
        var preprocessor = new ActionDataPreprocessor(new ActionDataPreprocessorConfig
        {
            Mean = [0, 50, 100], Std = [1, 2, 4], FormatShape = "NCTHW",
        });
        using var result = preprocessor.Apply(batch);
        using var zeros = zeros_like(result);
        Assert.True(result.allclose(zeros));
    }

    [Fact]
    public void To_rgb_swaps_channels_before_normalising()
    {
        using var batch = tensor(new byte[] { 10, 20, 30 }).reshape(1, 1, 3, 1, 1);
        var preprocessor = new ActionDataPreprocessor(new ActionDataPreprocessorConfig { Mean = [0, 0, 0], Std = [1, 1, 1], ToRgb = true });
        using var result = preprocessor.Apply(batch);
        Assert.Equal([30f, 20f, 10f], result.flatten().data<float>().ToArray());
    }

    [Fact]
    public void Without_mean_only_casts_to_float()
    {
        using var batch = tensor(new byte[] { 1, 2, 3 }).reshape(1, 1, 3, 1, 1);
        using var result = ActionDataPreprocessor.CastOnly.Apply(batch);
        Assert.Equal([1f, 2f, 3f], result.flatten().data<float>().ToArray());
    }

    [Fact]
    public void Reads_the_raw_config_tree_and_names_bad_keys()
    {
        var config = ActionDataPreprocessorConfig.FromDictionary(new Dictionary<string, object?>
        {
            ["type"] = "ActionDataPreprocessor",
            ["mean"] = new List<object?> { 1L, 2.5, 3L },
            ["std"] = new List<object?> { 1L, 1L, 1L },
            ["format_shape"] = "NCTHW",
        });
        Assert.Equal([1, 2.5, 3], config.Mean);
        Assert.Equal("NCTHW", config.FormatShape);
        var error = Assert.Throws<ArgumentException>(() => ActionDataPreprocessorConfig.FromDictionary(
            new Dictionary<string, object?> { ["mean"] = new List<object?> { "a" } }));
        Assert.Contains("data_preprocessor.mean[0]", error.Message);
    }
}
