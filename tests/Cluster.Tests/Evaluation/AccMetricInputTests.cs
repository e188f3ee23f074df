using Cluster.Training.Data.Preprocessing;
using Cluster.Training.Evaluation;
using static TorchSharp.torch;

namespace Cluster.Tests.Evaluation;

public class AccMetricInputTests
{
    [Fact]
    public void PerViewScoresAreRejectedWithAHintAtAverageClips()
    {
        var metric = new AccMetric(["top_k_accuracy"], [1]);
        using var perView = zeros(4, 3, 5); // [N, V, K]: what Recognizer3D.Predict returns without average_clips
        using var labels = zeros(new long[] { 4 }, ScalarType.Int64);

        var error = Assert.Throws<ArgumentException>(() => metric.Compute(perView, labels));
        Assert.Contains("average_clips", error.Message);
    }

    [Fact]
    public void PreprocessorWithoutFloatCastIsRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => new ActionDataPreprocessor(new ActionDataPreprocessorConfig { ToFloat32 = false }));
        Assert.Contains("data_preprocessor.to_float32", error.Message);
    }
}
