using System.Collections.Concurrent;
using Cluster.Training.Data;
using Cluster.Training.Data.Datasets;
using Cluster.Training.Data.Decoding;
using Cluster.Training.Data.Loading;
using Cluster.Training.Data.Preprocessing;
using Cluster.Training.Data.Transforms;
using TorchSharp;

namespace Cluster.Tests.Data;

public class DataLoaderTests(SyntheticDataFixture data) : IClassFixture<SyntheticDataFixture>
{
    /// <summary>Records which threads ran the pipeline and how many samples went through it.</summary>
    private sealed class ThreadProbeConfig : TransformConfig
    {
        public ConcurrentBag<int> Threads { get; } = [];
        public int Calls;

        public override IVideoTransform Build() => new Probe(this);

        private sealed class Probe(ThreadProbeConfig owner) : IVideoTransform
        {
            public void Apply(VideoSample sample)
            {
                owner.Threads.Add(Environment.CurrentManagedThreadId);
                Interlocked.Increment(ref owner.Calls);
            }
        }
    }

    /// <summary>TSN-style training pipeline, shrunk to 32 px.</summary>
    private DataLoaderConfig Config(int numWorkers, int batchSize = 4, bool dropLast = false,
        TransformConfig? extra = null, string? annFile = null) => new()
    {
        BatchSize = batchSize,
        NumWorkers = numWorkers,
        DropLast = dropLast,
        Sampler = new DefaultSamplerConfig { Shuffle = true },
        Dataset = new VideoDatasetConfig
        {
            AnnFile = annFile ?? data.Result.TrainList!,
            DataPrefix = new DataPrefixConfig { Video = data.Result.VideoDir },
            Pipeline =
            [
                new VideoInitConfig(),
                new SampleFramesConfig { ClipLen = 1, FrameInterval = 1, NumClips = 3 },
                new VideoDecodeConfig(),
                new ResizeConfig { Scale = [-1, 40] },
                new MultiScaleCropConfig { InputSize = [24], Scales = [1, 0.875, 0.75, 0.66], RandomCrop = false, MaxWhScaleGap = 1 },
                new ResizeConfig { Scale = [24, 24], KeepRatio = false },
                new FlipConfig { FlipRatio = 0.5 },
                .. extra is null ? Array.Empty<TransformConfig>() : [extra],
                new FormatShapeConfig { InputFormat = "NCHW" },
                new PackActionInputsConfig(),
            ],
        },
    };

    private static List<(float[] Inputs, long[] Labels, int[] Indices)> ReadAll(DataLoader loader, int epoch, int startBatch = 0) =>
        loader.ReadEpoch(epoch, startBatch).Select(batch =>
        {
            using (batch)
                return (batch.Inputs.data<float>().ToArray(), batch.Labels.data<long>().ToArray(), batch.SampleIndices);
        }).ToList();

    [Fact]
    public void Batches_follow_the_contract_layout()
    {
        using var loader = DataLoaderFactory.Build(Config(numWorkers: 2), seed: 0);
        Assert.Equal((10, 3), (loader.SamplesPerEpoch, loader.BatchesPerEpoch));
        var batches = loader.ReadEpoch(0).ToList();
        Assert.Equal([4, 4, 2], batches.Select(batch => batch.Count));
        var first = batches[0];
        Assert.Equal([4, 3, 3, 24, 24], first.Inputs.shape);
        Assert.Equal(torch.ScalarType.Float32, first.Inputs.dtype);
        Assert.Equal(torch.ScalarType.Int64, first.Labels.dtype);
        Assert.Equal(first.SampleIndices.Select(index => (long)loader.Dataset.Records[index].Labels[0]), first.Labels.data<long>().ToArray());
        Assert.Equal(loader.EpochIndices(0), batches.SelectMany(batch => batch.SampleIndices));
        batches.ForEach(batch => batch.Dispose());
    }

    [Fact]
    public void Same_seed_gives_identical_batches_whatever_the_worker_count()
    {
        using var twoWorkers = DataLoaderFactory.Build(Config(numWorkers: 2), seed: 5);
        using var twoWorkersAgain = DataLoaderFactory.Build(Config(numWorkers: 2), seed: 5);
        using var oneWorker = DataLoaderFactory.Build(Config(numWorkers: 0), seed: 5);
        var reference = ReadAll(twoWorkers, epoch: 1);
        foreach (var other in new[] { ReadAll(twoWorkersAgain, 1), ReadAll(oneWorker, 1) })
        {
            Assert.Equal(reference.Count, other.Count);
            for (int b = 0; b < reference.Count; b++)
            {
                Assert.Equal(reference[b].Indices, other[b].Indices);
                Assert.Equal(reference[b].Labels, other[b].Labels);
                Assert.Equal(reference[b].Inputs, other[b].Inputs);
            }
        }
    }

    [Fact]
    public void Epochs_and_seeds_change_the_order()
    {
        using var loader = DataLoaderFactory.Build(Config(numWorkers: 2), seed: 5);
        using var otherSeed = DataLoaderFactory.Build(Config(numWorkers: 2), seed: 6);
        Assert.NotEqual(loader.EpochIndices(0), loader.EpochIndices(1));
        Assert.Equal(Enumerable.Range(0, 10), loader.EpochIndices(1).Order());
        Assert.NotEqual(loader.EpochIndices(0), otherSeed.EpochIndices(0));
    }

    [Fact]
    public void Resuming_at_a_batch_gives_the_rest_of_the_epoch()
    {
        using var loader = DataLoaderFactory.Build(Config(numWorkers: 2), seed: 2);
        var full = ReadAll(loader, epoch: 3);
        var resumed = ReadAll(loader, epoch: 3, startBatch: 1);
        Assert.Equal(2, resumed.Count);
        Assert.Equal(full[1].Indices, resumed[0].Indices);
        Assert.Equal(full[2].Inputs, resumed[1].Inputs);
    }

    [Fact]
    public void Drop_last_drops_the_partial_batch()
    {
        using var loader = DataLoaderFactory.Build(Config(numWorkers: 1, dropLast: true), seed: 0);
        Assert.Equal(2, loader.BatchesPerEpoch);
        Assert.Equal(2, ReadAll(loader, 0).Count);
    }

    [Fact]
    public void Samples_load_on_worker_threads()
    {
        var probe = new ThreadProbeConfig();
        using var loader = DataLoaderFactory.Build(Config(numWorkers: 2, extra: probe), seed: 0);
        ReadAll(loader, 0);
        Assert.Equal(10, probe.Calls);
        Assert.DoesNotContain(Environment.CurrentManagedThreadId, probe.Threads);
        Assert.Equal(2, probe.Threads.Distinct().Count());
    }

    [Fact]
    public void Stopping_early_stops_the_workers_and_disposal_closes_the_loader()
    {
        var probe = new ThreadProbeConfig();
        var loader = DataLoaderFactory.Build(Config(numWorkers: 2, batchSize: 1, extra: probe), seed: 0);
        foreach (var batch in loader.ReadEpoch(0))
        {
            batch.Dispose();
            break;
        }
        int loadedWhenStopped = probe.Calls;
        Thread.Sleep(300);
        Assert.Equal(loadedWhenStopped, probe.Calls);
        // Two workers with two batches queued each plus one in hand at most.
        Assert.InRange(loadedWhenStopped, 1, 7);

        loader.Dispose();
        Assert.Throws<ObjectDisposedException>(() => loader.ReadEpoch(0).First());
    }

    [Fact]
    public void A_worker_error_surfaces_at_its_batch_naming_the_file()
    {
        var list = Path.Combine(data.Result.OutDir, "with_missing.txt");
        File.WriteAllLines(list, File.ReadAllLines(data.Result.TrainList!).Take(3).Append("Nowhere/v_missing.mp4 0"));
        using var loader = DataLoaderFactory.Build(Config(numWorkers: 2, batchSize: 1, annFile: list), seed: 0);
        var error = Assert.Throws<InvalidMediaException>(() => ReadAll(loader, 0));
        Assert.Contains("v_missing.mp4", error.Message);
    }

    [Fact]
    public void Data_preprocessor_normalises_the_batch()
    {
        using var raw = DataLoaderFactory.Build(Config(numWorkers: 1), seed: 4);
        using var normalised = DataLoaderFactory.Build(Config(numWorkers: 1), seed: 4, new Dictionary<string, object?>
        {
            ["type"] = "ActionDataPreprocessor",
            ["mean"] = new List<object?> { 123.675, 116.28, 103.53 },
            ["std"] = new List<object?> { 58.395, 57.12, 57.375 },
            ["format_shape"] = "NCHW",
        });
        using var rawBatch = raw.ReadEpoch(0).First();
        using var normalisedBatch = normalised.ReadEpoch(0).First();
        using var mean = torch.tensor(new float[] { 123.675f, 116.28f, 103.53f }).view(-1, 1, 1);
        using var std = torch.tensor(new float[] { 58.395f, 57.12f, 57.375f }).view(-1, 1, 1);
        using var expected = (rawBatch.Inputs - mean) / std;
        Assert.True(expected.allclose(normalisedBatch.Inputs, rtol: 1e-5, atol: 1e-5));
    }

    [Fact]
    public void Shards_split_an_epoch_between_loaders()
    {
        using var rank0 = DataLoaderFactory.Build(Config(numWorkers: 1), seed: 1, preprocessor: null, shard: new DataShard(2, 0));
        using var rank1 = DataLoaderFactory.Build(Config(numWorkers: 1), seed: 1, preprocessor: null, shard: new DataShard(2, 1));
        Assert.Equal((5, 2), (rank0.SamplesPerEpoch, rank0.BatchesPerEpoch));
        var indices = ReadAll(rank0, 2).Concat(ReadAll(rank1, 2)).SelectMany(batch => batch.Indices);
        Assert.Equal(Enumerable.Range(0, 10), indices.Order());
    }

    [Fact]
    public void Multi_label_datasets_give_multi_hot_labels()
    {
        var list = Path.Combine(data.Result.OutDir, "multi_label.txt");
        var videos = File.ReadAllLines(data.Result.TrainList!).Select(line => line.Split(' ')[0]).Take(2).ToArray();
        File.WriteAllLines(list, [$"{videos[0]} 0 2", $"{videos[1]} 1"]);
        var config = Config(numWorkers: 1, batchSize: 2, annFile: list);
        var multiLabel = new DataLoaderConfig
        {
            BatchSize = 2,
            Sampler = new DefaultSamplerConfig { Shuffle = false },
            Dataset = new VideoDatasetConfig
            {
                AnnFile = list, DataPrefix = config.Dataset.DataPrefix, Pipeline = config.Dataset.Pipeline,
                MultiClass = true, NumClasses = 3,
            },
        };
        using var loader = DataLoaderFactory.Build(multiLabel, seed: 0);
        using var batch = loader.ReadEpoch(0).Single();
        Assert.True(batch.IsMultiLabel);
        Assert.Equal([1f, 0f, 1f, 0f, 1f, 0f], batch.Labels.data<float>().ToArray());
    }
}
