namespace Cluster.Training.Checkpoints;

/// <summary>
/// Reads and writes PyTorch <c>.pth</c> files (the zip format of <c>torch.save</c>, torch ≥ 1.6) without Python.
/// Trees are <c>Dictionary&lt;string, object?&gt;</c> (or <c>Dictionary&lt;object, object?&gt;</c> when some key is
/// not a string, e.g. optimizer state), <c>List&lt;object?&gt;</c>, <c>object?[]</c> (tuples), long, double, string,
/// bool, byte[], null and TorchSharp tensors. Read tensors are CPU tensors; those sharing a storage in the file
/// share memory, as in PyTorch.
/// </summary>
public static class CheckpointFile
{
    /// <summary>The whole object tree of a file written by <c>torch.save</c>.</summary>
    /// <param name="path">The .pth file.</param>
    /// <param name="allowUnknownClasses">
    /// Keep Python classes other than torch's tensors/storages, OrderedDict and bytes as <see cref="PythonObject"/> data
    /// instead of refusing the file (e.g. numpy values and MMEngine's HistoryBuffer in an MMEngine checkpoint's
    /// <c>message_hub</c>). Nothing is executed either way.
    /// </param>
    public static object? Read(string path, bool allowUnknownClasses = false)
    {
        using var stream = File.OpenRead(path);
        return TorchArchiveReader.Read(stream, path, allowUnknownClasses);
    }

    /// <summary>A checkpoint with its state_dict located (top level, <c>state_dict</c> or <c>model</c>) and <c>meta</c>.</summary>
    /// <param name="path">The .pth file.</param>
    /// <param name="allowUnknownClasses">As for <see cref="Read"/>.</param>
    public static Checkpoint Load(string path, bool allowUnknownClasses = false) =>
        Checkpoint.FromTree(Read(path, allowUnknownClasses), path);

    /// <summary>
    /// Writes a tree that <c>torch.load</c> reads. Atomic: written to a temporary file beside the target, then renamed
    /// over it, so a crash never leaves a half-written checkpoint under <paramref name="path"/>.
    /// Tensor-valued dictionaries are written as <c>collections.OrderedDict</c>; other typed arrays and lists as lists.
    /// </summary>
    public static void Save(string path, object? tree)
    {
        string fullPath = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(fullPath)!;
        Directory.CreateDirectory(directory);
        string temporary = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                TorchArchiveWriter.Write(stream, tree);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, fullPath, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
