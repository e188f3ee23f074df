namespace Cluster.Training.Data.Decoding;

/// <summary>
/// A video or frame file that is missing, unreadable or undecodable. Datasets with <c>skip_invalid</c> replace such a
/// sample by the next valid one; otherwise it propagates with the file named in the message.
/// </summary>
public sealed class InvalidMediaException(string path, string problem)
    : Exception($"{path}: {problem}")
{
    public string MediaPath { get; } = path;
}
