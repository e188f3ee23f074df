using Cluster.Tests.Models;
using Cluster.Training.Distributed;
using Cluster.Training.Models;
using Cluster.Training.Models.Backbones;
using Cluster.Training.Models.Heads;
using Cluster.Training.Models.Recognizers;
using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Tests.Distributed;

/// <summary>
/// SyncBatchNorm inside a whole model: N ranks (threads) training the tiny TSN ResNet-18 with batch B and synchronised
/// BatchNorm, averaging gradients after each backward, end with the parameters and running statistics of one model
/// trained with plain BatchNorm on batch N·B. In float64, so the comparison is exact up to summation order (1e-10);
/// float32 runs of this model amplify rounding too much for a tight bound (see DataParallelEquivalenceTests).
/// </summary>
[Collection(GlobalTorchRandomCollection.Name)]
public class SyncBatchNormModelTests
{
    private const int Steps = 6;
    private const int PerRank = 2;
    private const double Tolerance = 1e-10;

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Ranks_with_SyncBatchNorm_train_like_one_model_on_the_whole_batch(int ranks)
    {
        manual_seed(7);
        using var initial = NewModel();
        var state = initial.state_dict();
        var inputs = Enumerable.Range(0, Steps).Select(_ => randn([ranks * PerRank, 3, 3, 32, 32], ScalarType.Float64) * 2 + 0.5).ToArray();
        var labels = Enumerable.Range(0, Steps).Select(_ => randint(0, TinyModels.Classes, [ranks * PerRank], ScalarType.Int64)).ToArray();

        using var single = NewModel(state);
        Train(single, step => (inputs[step], labels[step]), afterBackward: () => { });
        var expected = single.state_dict();

        var groups = ThreadProcessGroup.Create(ranks);
        var finals = new Dictionary<string, Tensor>[ranks];
        var syncLayers = new int[ranks];
        ThreadProcessGroup.RunRanks(ranks, rank =>
        {
            var model = NewModel(state);
            syncLayers[rank] = SyncBatchNormConverter.Convert(model, groups[rank]);
            Train(model, step => (inputs[step].narrow(0, rank * PerRank, PerRank), labels[step].narrow(0, rank * PerRank, PerRank)),
                afterBackward: () => groups[rank].AllReduceMean([.. model.parameters().Select(p => p.grad!)]));
            finals[rank] = model.state_dict();
        });

        // Every SyncBatchNorm forward and backward met the other ranks (one collective each), plus the gradient mean:
        // the custom backward ran, rather than autograd differentiating the forward's local arithmetic.
        Assert.Equal(20, syncLayers[0]);
        Assert.All(groups, group => Assert.Equal(Steps * (2 * syncLayers[0] + 1), group.Calls));
        int compared = 0;
        foreach (var (name, reference) in expected.Where(entry => entry.Value.is_floating_point()))
        {
            for (int rank = 0; rank < ranks; rank++)
            {
                double difference = MaxRelativeDifference(finals[rank][name], reference);
                Assert.True(difference <= Tolerance, $"rank {rank} {name}: max relative difference {difference:g3}");
            }
            compared++;
        }
        Assert.True(compared > 80); // parameters and running statistics
        Assert.True(MaxRelativeDifference(expected["backbone.layer1.0.bn1.bias"], state["backbone.layer1.0.bn1.bias"]) > 0);
    }

    private static Recognizer NewModel(Dictionary<string, Tensor>? state = null)
    {
        var config = new Recognizer2DConfig
        {
            Backbone = new ResNetConfig { Depth = 18, BaseChannels = 8 },
            ClsHead = new TSNHeadConfig { NumClasses = TinyModels.Classes, InChannels = 64, DropoutRatio = 0 },
        };
        var model = ModelBuilder.Build(config, null);
        model.to(ScalarType.Float64);
        if (state is not null) model.load_state_dict(state);
        model.train();
        return model;
    }

    private static void Train(Recognizer model, Func<int, (Tensor Inputs, Tensor Labels)> batch, Action afterBackward)
    {
        using var optimizer = optim.SGD(model.parameters(), 0.02, momentum: 0.9, weight_decay: 1e-4);
        for (int step = 0; step < Steps; step++)
        {
            using var scope = NewDisposeScope();
            var (inputs, labels) = batch(step);
            optimizer.zero_grad();
            model.Loss(model.forward(inputs), labels).backward();
            afterBackward();
            optimizer.step();
        }
    }

    /// <summary>max|a−b| / max(max|b|, tiny) over one tensor.</summary>
    private static double MaxRelativeDifference(Tensor actual, Tensor expected)
    {
        using var a = actual.to_type(ScalarType.Float64);
        using var b = expected.to_type(ScalarType.Float64);
        double scale = Math.Max(b.abs().max().item<double>(), 1e-30);
        return (a - b).abs().max().item<double>() / scale;
    }
}
