namespace Cluster.Training.Checkpoints;

/// <summary>A checkpoint file that cannot be read: not a torch zip archive, truncated, corrupt, or using unsupported content.</summary>
public sealed class CheckpointFormatException(string file, string problem, Exception? inner = null)
    : IOException($"Checkpoint '{file}': {problem}", inner)
{
    public string File { get; } = file;
}
