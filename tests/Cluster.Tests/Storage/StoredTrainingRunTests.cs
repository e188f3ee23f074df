using System.Security.Cryptography;
using Cluster.Tests.Experiments;
using Cluster.Tests.Infrastructure;
using Cluster.Training.Configs;
using Cluster.Training.Engine;
using Cluster.Training.Experiments;
using Cluster.Training.Storage;

namespace Cluster.Tests.Storage;

/// <summary>The path a cluster worker takes: a run whose checkpoints go to blob storage, then a run on a fresh work_dir
/// (another machine) that resumes from the blob URI of the last one.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class StoredTrainingRunTests(AzuriteFixture azurite) : IDisposable
{
    private readonly DemoDataset data = DemoDataset.Create("stored-run-data-", classes: 2, videosPerClass: 3, seed: 5, frames: 8);
    private readonly string scratch = Directory.CreateTempSubdirectory("stored-run-").FullName;

    public void Dispose()
    {
        data.Dispose();
        Directory.Delete(scratch, recursive: true);
    }

    [Fact]
    public async Task CheckpointsGoToBlobsAndAnotherWorkDirResumesFromTheirUri()
    {
        var store = azurite.NewStore();
        var overrides = data.Overrides();
        overrides.AddRange(["randomness.seed=3", "val_dataloader=null", "test_dataloader=null",
            "default_hooks.checkpoint.save_best=null", "train_dataloader.num_workers=0"]);
        var config = DemoDataset.Config("demo/tsn_tiny_synth.yaml");

        var first = Run(config, [.. overrides, "train_cfg.max_epochs=1"], "first", store, locator: null);
        var epoch1 = Assert.Single(first.Uploaded);
        Assert.Equal("experiments/e2e/epoch_1.pth", epoch1.Key);
        string localEpoch1 = Path.Combine(scratch, "first", "epoch_1.pth");
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(localEpoch1))), epoch1.Sha256);

        var locator = new ArtifactLocator(store, Path.Combine(scratch, "cache"));
        var second = Run(config, [.. overrides, "train_cfg.max_epochs=2", "resume=true", $"load_from={epoch1.Uri}"], "second", store, locator);

        Assert.Equal(TrainingStatus.Completed, second.Result.Status);
        Assert.Equal(2, second.Result.EpochsRun);
        Assert.Equal(["experiments/e2e/epoch_2.pth"], second.Uploaded.Select(info => info.Key));
        Assert.Equal(["experiments/e2e/epoch_1.pth", "experiments/e2e/epoch_2.pth"], (await store.ListAsync("experiments/e2e/")).Select(i => i.Key));
    }

    private (TrainingResult Result, List<ArtifactInfo> Uploaded) Run(string config, List<string> overrides, string workDir,
        IArtifactStore store, ArtifactLocator? locator)
    {
        var writer = new StoredCheckpointWriter(store, "experiments/e2e/");
        var uploaded = new List<ArtifactInfo>();
        writer.Uploaded += uploaded.Add;
        var job = TrainingJob.Prepare(ConfigLoader.Load(config, overrides), Path.Combine(scratch, workDir), "cpu", locator, writer);
        var result = job.Run(new SyncProgress(_ => { }));
        Assert.Equal(TrainingStatus.Completed, result.Status);
        return (result, uploaded);
    }
}
