using Cluster.Training.Data;
using Cluster.Training.Engine;
using static TorchSharp.torch;

namespace Cluster.Tests.Engine;

/// <summary>A fixed random data set of [N, V, F] samples, served in an epoch-dependent but deterministic order.</summary>
internal sealed class InMemoryBatches : IDisposable
{
    private readonly Tensor inputs;
    private readonly Tensor labels;
    private readonly int batchSize;

    public InMemoryBatches(int samples, int views, int features, int classes, int batchSize, long seed)
    {
        using var generator = new Generator((ulong)seed);
        inputs = randn([samples, views, features], generator: generator);
        labels = randint(0, classes, [samples], generator: generator);
        this.batchSize = batchSize;
    }

    public int BatchesPerEpoch => (int)(inputs.shape[0] / batchSize);

    /// <summary>Replaces the inputs of one (epoch, batch) with NaN, to poison the loss there.</summary>
    public (int Epoch, int Batch)? PoisonedBatch { get; init; }

    public TrainBatchSource AsTrainSource() => new(Batches, BatchesPerEpoch, batchSize);

    public IEnumerable<Batch> Batches(int epoch, int startBatch)
    {
        var order = Enumerable.Range(0, (int)inputs.shape[0]).ToArray();
        new Random(epoch).Shuffle(order);
        for (int b = startBatch; b < BatchesPerEpoch; b++)
        {
            var indices = order.Skip(b * batchSize).Take(batchSize).ToArray();
            using var index = tensor(indices.Select(i => (long)i).ToArray());
            var batchInputs = inputs.index_select(0, index);
            if (PoisonedBatch == (epoch, b))
            {
                batchInputs.fill_(double.NaN);
            }
            yield return new Batch(batchInputs, labels.index_select(0, index), indices);
        }
    }

    /// <summary>The whole set in order, as validation batches.</summary>
    public IEnumerable<Batch> InOrder()
    {
        for (int b = 0; b < BatchesPerEpoch; b++)
        {
            var indices = Enumerable.Range(b * batchSize, batchSize).ToArray();
            yield return new Batch(inputs.narrow(0, b * batchSize, batchSize).clone(),
                labels.narrow(0, b * batchSize, batchSize).clone(), indices);
        }
    }

    public void Dispose()
    {
        inputs.Dispose();
        labels.Dispose();
    }
}
