namespace Cluster.Training.Experiments;

/// <summary>
/// A run's work_dir: <c>--work-dir</c>, else the config's <c>work_dir</c>, else <c>work_dirs/&lt;config name&gt;</c>
/// (MMAction2's convention). Keeps MMEngine's <c>last_checkpoint</c> file and a <c>latest.pth</c> link to the newest
/// regular checkpoint, so fine-tuning configs can name <c>work_dirs/&lt;name&gt;/latest.pth</c>.
/// </summary>
public sealed class WorkDirectory(string path)
{
    public const string LatestCheckpointName = "latest.pth";
    private const string LastCheckpointFile = "last_checkpoint";

    public string Path { get; } = System.IO.Path.GetFullPath(path);

    public static WorkDirectory Resolve(string? commandLine, string? configured, string configPath) =>
        new(commandLine ?? configured ?? System.IO.Path.Combine("work_dirs", System.IO.Path.GetFileNameWithoutExtension(configPath)));

    /// <summary>
    /// The checkpoint MMEngine's <c>resume: true</c> without <c>load_from</c> continues from, if any. A work_dir that
    /// was moved still finds its checkpoint: the recorded path is tried, then the same file name inside this folder.
    /// </summary>
    public string? LastCheckpoint()
    {
        var file = System.IO.Path.Combine(Path, LastCheckpointFile);
        if (!File.Exists(file)) return null;
        var recorded = File.ReadAllText(file).Trim();
        if (File.Exists(recorded)) return recorded;
        var moved = System.IO.Path.Combine(Path, System.IO.Path.GetFileName(recorded));
        return File.Exists(moved) ? moved : null;
    }

    public void RecordLatest(string checkpoint)
    {
        var fullPath = System.IO.Path.GetFullPath(checkpoint);
        ReplaceAtomically(System.IO.Path.Combine(Path, LastCheckpointFile), temp => File.WriteAllText(temp, fullPath));
        ReplaceAtomically(System.IO.Path.Combine(Path, LatestCheckpointName),
            temp => File.CreateSymbolicLink(temp, System.IO.Path.GetRelativePath(Path, fullPath)));
    }

    private static void ReplaceAtomically(string target, Action<string> writeTemp)
    {
        var temp = $"{target}.{Environment.ProcessId}.tmp";
        File.Delete(temp);
        writeTemp(temp);
        File.Move(temp, target, overwrite: true);
    }
}
