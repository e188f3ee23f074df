using Cluster.Tests.Experiments;
using Cluster.Training.Configs;
using Cluster.Training.Data.Loading;
using Cluster.Training.Experiments;

namespace Cluster.Tests.Workers;

/// <summary>The train loader reads an epoch in the order an <see cref="IEpochOrderProvider"/> gives, else its sampler's.</summary>
public sealed class EpochOrderHookTests : IDisposable
{
    private readonly DemoDataset data = DemoDataset.Create("order-data-", classes: 3, videosPerClass: 3, seed: 5, frames: 4);

    public void Dispose() => data.Dispose();

    [Fact]
    public void BatchesFollowTheProvidedOrder()
    {
        var config = LoaderConfig();
        var provider = new ReversedOrder();
        using var loader = DataLoaderFactory.Build(config, seed: 11, (Cluster.Training.Data.Preprocessing.ActionDataPreprocessorConfig?)null, order: provider);

        var read = ReadIndices(loader, epoch: 1);

        Assert.Equal(provider.Given, read);
        Assert.Equal(Enumerable.Range(0, loader.Dataset.Count).Reverse(), read);
    }

    [Fact]
    public void WithoutAProviderTheSamplerOrders()
    {
        var config = LoaderConfig();
        using var loader = DataLoaderFactory.Build(config, seed: 11, (Cluster.Training.Data.Preprocessing.ActionDataPreprocessorConfig?)null);
        var expected = new DefaultSampler(loader.Dataset.Count, shuffle: true, seed: 11, roundUp: true, DataShard.Whole).EpochIndices(1);

        Assert.Equal(expected, ReadIndices(loader, epoch: 1));
    }

    [Fact]
    public void AProviderReturningTheWrongCountIsRefused()
    {
        using var loader = DataLoaderFactory.Build(LoaderConfig(), seed: 11, (Cluster.Training.Data.Preprocessing.ActionDataPreprocessorConfig?)null, order: new FixedOrder([0, 1]));

        var error = Assert.Throws<InvalidOperationException>(() => ReadIndices(loader, epoch: 0));
        Assert.Contains("has 2 indices", error.Message);
    }

    private DataLoaderConfig LoaderConfig()
    {
        var document = ConfigLoader.Load(DemoDataset.Config("demo/tsn_tiny_synth.yaml"),
            [.. data.Overrides(), "train_dataloader.batch_size=4", "train_dataloader.num_workers=1"]);
        return ExperimentConfig.From(document).TrainDataloader!;
    }

    private static List<int> ReadIndices(DataLoader loader, int epoch)
    {
        var indices = new List<int>();
        foreach (var batch in loader.ReadEpoch(epoch))
            using (batch)
                indices.AddRange(batch.SampleIndices);
        return indices;
    }

    private sealed class ReversedOrder : IEpochOrderProvider
    {
        public int[] Given { get; private set; } = [];

        public int[] EpochIndices(DefaultSampler sampler, int epoch) =>
            Given = Enumerable.Range(0, sampler.DatasetSize).Reverse().ToArray();
    }

    private sealed class FixedOrder(int[] order) : IEpochOrderProvider
    {
        public int[] EpochIndices(DefaultSampler sampler, int epoch) => order;
    }
}
