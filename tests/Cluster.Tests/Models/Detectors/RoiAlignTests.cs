using Cluster.Training.Models.Detectors;
using static TorchSharp.torch;

namespace Cluster.Tests.Models.Detectors;

/// <summary>RoIAlign against torchvision.ops.roi_align (tests/fixtures-scripts/detection_roi_align.py).</summary>
public class RoiAlignTests
{
    private static readonly Lazy<Dictionary<string, Tensor>> Fixture =
        new(() => TensorFixtures.Read("Fixtures/Detection/roi_align"));

    [Theory]
    [InlineData(4, 4, 0, true)]
    [InlineData(4, 4, 1, true)]
    [InlineData(4, 4, 2, true)]
    [InlineData(3, 5, 0, true)]
    [InlineData(3, 5, 3, true)]
    [InlineData(4, 4, 0, false)]
    [InlineData(2, 3, 2, false)]
    public void MatchesTorchvision(int height, int width, int samplingRatio, bool aligned)
    {
        var f = Fixture.Value;
        using var output = RoiAlign.Apply(f["features"], f["rois"], height, width, f["spatial_scale"].item<float>(),
            samplingRatio, aligned);

        var expected = f[$"output.{Case(height, width, samplingRatio, aligned)}"];
        Assert.Equal(expected.shape, output.shape);
        AssertClose(expected, output);
    }

    [Theory]
    [InlineData(4, 4, 0, true)]
    [InlineData(3, 5, 3, true)]
    [InlineData(2, 3, 2, false)]
    public void GradientOfTheFeaturesMatchesTorchvision(int height, int width, int samplingRatio, bool aligned)
    {
        var f = Fixture.Value;
        var name = Case(height, width, samplingRatio, aligned);
        using var features = f["features"].clone().requires_grad_(true);
        using var output = RoiAlign.Apply(features, f["rois"], height, width, f["spatial_scale"].item<float>(),
            samplingRatio, aligned);
        (output * f[$"grad_weight.{name}"]).sum().backward();

        AssertClose(f[$"grad.{name}"], features.grad!);
    }

    [Fact]
    public void NoRoisGiveAnEmptyOutput()
    {
        using var output = RoiAlign.Apply(randn(1, 2, 5, 5), zeros(0, 5), 3, 3, 1.0, 0, true);
        Assert.Equal(new long[] { 0, 2, 3, 3 }, output.shape);
    }

    private static string Case(int height, int width, int samplingRatio, bool aligned) =>
        $"{height}x{width}.ratio{samplingRatio}.aligned{(aligned ? 1 : 0)}";

    private static void AssertClose(Tensor expected, Tensor actual)
    {
        double difference = (actual - expected).abs().max().item<float>();
        Assert.True(difference <= 1e-5, $"max abs difference {difference}");
    }
}
