using Cluster.Tests.Engine;
using Cluster.Training.Evaluation;
using static TorchSharp.torch;

namespace Cluster.Tests.Evaluation;

[Collection(GlobalTorchRandomCollection.Name)]
public class EvaluationLoopTests
{
    [Fact]
    public void PredictsInEvalModeWithoutGradAndGathersScoresInSampleOrder()
    {
        manual_seed(3);
        using var model = new TinyRecognizer(features: 5, classes: 4);
        model.train();
        using var data = new InMemoryBatches(8, views: 3, features: 5, classes: 4, batchSize: 4, seed: 1);
        using var result = new EvaluationLoop(model, [new AccMetric(["top_k_accuracy"], [1, 4])], CPU).Run(data.InOrder());

        Assert.True(model.LastPredictWasEvalNoGrad);
        Assert.Equal(new long[] { 8, 4 }, result.Scores.shape);
        Assert.Equal(Enumerable.Range(0, 8), result.SampleIndices);
        Assert.Equal(1.0, result.Metrics["acc/top4"]);
        // Softmax scores averaged over the 3 views still sum to 1 per sample.
        Assert.True(result.Scores.sum(1).allclose(ones(8)));
    }

    [Fact]
    public void CancellationStopsBetweenBatches()
    {
        using var model = new TinyRecognizer(features: 5, classes: 4);
        using var data = new InMemoryBatches(8, views: 1, features: 5, classes: 4, batchSize: 4, seed: 1);
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();
        Assert.Throws<OperationCanceledException>(() =>
            new EvaluationLoop(model, [], CPU).Run(data.InOrder(), cancellation.Token));
    }
}
