namespace Cluster.Training.Checkpoints;

/// <summary>A strict load whose checkpoint keys or shapes do not match the module; the module was left unchanged.</summary>
public sealed class StateDictMismatchException(string message, LoadReport report) : Exception(message)
{
    public LoadReport Report { get; } = report;
}
