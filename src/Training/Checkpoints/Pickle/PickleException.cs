namespace Cluster.Training.Checkpoints.Pickle;

/// <summary>A pickle stream that is malformed or uses something outside the supported subset.</summary>
internal sealed class PickleException(string message) : Exception(message);
