namespace Cluster.Silo.Storage;

/// <summary>An exclusive lock held by opening a file with no sharing; works across processes on one machine.</summary>
internal sealed class FileLock(FileStream stream) : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public static async Task<FileLock> AcquireAsync(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            try
            {
                return new FileLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(10);
            }
        }
    }

    public void Dispose() => stream.Dispose();
}
