namespace Cluster.Training.Engine;

/// <summary>
/// Where checkpoints go. A .pth implementation converts with <see cref="TrainingState.ToTree"/> /
/// <see cref="TrainingState.FromTree"/>. Paths are <c>{out_dir}/{file name}</c> as the checkpoint hook composes them.
/// </summary>
public interface ICheckpointWriter
{
    /// <summary>Persists the state; the state stays owned by the caller (copy what must outlive the call).</summary>
    void Save(string path, TrainingState state);

    /// <summary>A state the caller owns and disposes.</summary>
    TrainingState Load(string path);

    /// <summary>Removes a checkpoint (max_keep_ckpts, a superseded best checkpoint); missing is not an error.</summary>
    void Delete(string path);
}
