using Cluster.Training.Checkpoints;
using Cluster.Training.Engine;

namespace Cluster.Training.Storage;

/// <summary>
/// Checkpoints that outlive the machine: each one is saved as a local .pth (as <see cref="PthCheckpointWriter"/> does,
/// so resume and best-checkpoint logic work unchanged), then uploaded to the store as <c>{keyPrefix}{file name}</c>;
/// <see cref="Uploaded"/> reports where it went. Deletes (max_keep_ckpts, a superseded best) remove both copies.
/// Runs on the training thread: the upload blocks it, so a run never gets ahead of its last stored checkpoint.
/// </summary>
public sealed class StoredCheckpointWriter : ICheckpointWriter
{
    private readonly IArtifactStore store;
    private readonly string keyPrefix;
    private readonly ICheckpointWriter local;
    private readonly CancellationToken cancellation;

    /// <param name="keyPrefix">e.g. <c>experiments/exp-1/</c>; empty stores checkpoints at the top.</param>
    public StoredCheckpointWriter(IArtifactStore store, string keyPrefix, ICheckpointWriter? local = null,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(keyPrefix);
        this.store = store;
        this.keyPrefix = ArtifactKeys.ValidatePrefix(keyPrefix);
        this.local = local ?? new PthCheckpointWriter();
        this.cancellation = cancellation;
    }

    /// <summary>After each checkpoint is stored (on the training thread).</summary>
    public event Action<ArtifactInfo>? Uploaded;

    /// <summary>After a checkpoint is removed from the store; the key.</summary>
    public event Action<string>? Deleted;

    public string KeyOf(string path) => keyPrefix + Path.GetFileName(path);

    public void Save(string path, TrainingState state)
    {
        local.Save(path, state);
        // Off any caller's synchronization context, so blocking here cannot deadlock a scheduler (an Orleans turn).
        var info = Task.Run(() => store.PutFileAsync(KeyOf(path), path, cancellation)).GetAwaiter().GetResult();
        Uploaded?.Invoke(info);
    }

    public TrainingState Load(string path) => local.Load(path);

    public void Delete(string path)
    {
        local.Delete(path);
        string key = KeyOf(path);
        Task.Run(() => store.DeleteAsync(key, cancellation)).GetAwaiter().GetResult();
        Deleted?.Invoke(key);
    }
}
