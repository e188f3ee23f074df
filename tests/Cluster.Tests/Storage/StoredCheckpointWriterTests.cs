using Cluster.Tests.Infrastructure;
using Cluster.Training.Checkpoints;
using Cluster.Training.Engine;
using Cluster.Training.Storage;
using TorchSharp;

namespace Cluster.Tests.Storage;

[Collection(AzuriteCollection.Name)]
public sealed class StoredCheckpointWriterTests(AzuriteFixture azurite) : IDisposable
{
    private readonly string workDir = Directory.CreateTempSubdirectory("stored-ckpt-").FullName;

    public void Dispose() => Directory.Delete(workDir, recursive: true);

    [Fact]
    public async Task SavesLocallyUploadsReportsAndDeletesBoth()
    {
        var store = azurite.NewStore();
        var writer = new StoredCheckpointWriter(store, "experiments/exp-7/");
        var uploaded = new List<ArtifactInfo>();
        var deleted = new List<string>();
        writer.Uploaded += uploaded.Add;
        writer.Deleted += deleted.Add;
        string path = Path.Combine(workDir, "epoch_3.pth");
        using var weights = torch.arange(6, dtype: torch.float32);
        using var state = new TrainingState { Epoch = 3, Iter = 30, Seed = 5, StateDict = new() { ["fc.weight"] = weights } };

        writer.Save(path, state);

        var info = Assert.Single(uploaded);
        Assert.Equal("experiments/exp-7/epoch_3.pth", info.Key);
        Assert.Equal(store.UriOf("experiments/exp-7/epoch_3.pth"), info.Uri);
        Assert.Equal(await File.ReadAllBytesAsync(path), await store.GetBytesAsync(info.Key));
        string downloaded = Path.Combine(workDir, "downloaded.pth");
        await store.GetFileAsync(info.Key, downloaded);
        using (var loaded = new PthCheckpointWriter().Load(downloaded))
        {
            Assert.Equal(3, loaded.Epoch);
            Assert.Equal(new float[] { 0, 1, 2, 3, 4, 5 }, loaded.StateDict["fc.weight"].data<float>().ToArray());
        }

        writer.Delete(path);

        Assert.False(File.Exists(path));
        Assert.Null(await store.GetInfoAsync(info.Key));
        Assert.Equal(["experiments/exp-7/epoch_3.pth"], deleted);
    }

    [Fact]
    public void UnreachableStoreFailsTheSave()
    {
        var store = new AzureBlobArtifactStore(
            $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AzuriteProcess.AccountKey};BlobEndpoint=http://127.0.0.1:1/devstoreaccount1;",
            "checkpoints");
        var writer = new StoredCheckpointWriter(store, "exp/");
        using var weights = torch.zeros(2);
        using var state = new TrainingState { Epoch = 1, Iter = 1, StateDict = new() { ["w"] = weights } };

        var error = Assert.Throws<ArtifactStoreUnavailableException>(() => writer.Save(Path.Combine(workDir, "epoch_1.pth"), state));

        Assert.StartsWith("blob storage at http://127.0.0.1:1/devstoreaccount1/checkpoints is unreachable: ", error.Message);
    }
}
