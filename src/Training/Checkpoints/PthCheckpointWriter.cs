using System.Collections;
using Cluster.Training.Engine;

namespace Cluster.Training.Checkpoints;

/// <summary>Training checkpoints as torch.save-compatible .pth files in MMEngine's layout (atomic writes).</summary>
public sealed class PthCheckpointWriter : ICheckpointWriter
{
    public void Save(string path, TrainingState state)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        CheckpointFile.Save(path, state.ToTree());
    }

    public TrainingState Load(string path)
    {
        var tree = CheckpointFile.Read(path) as IDictionary
                   ?? throw new CheckpointFormatException(path, "not a training checkpoint (the top level is not a dict)");
        return TrainingState.FromTree(tree, path);
    }

    public void Delete(string path) => File.Delete(path);
}
