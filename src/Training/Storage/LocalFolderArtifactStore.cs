using System.Security.Cryptography;

namespace Cluster.Training.Storage;

/// <summary>
/// Artifacts as plain files under a root folder (the embedded default): key <c>a/b.pth</c> is <c>{root}/a/b.pth</c>,
/// so <see cref="UriOf"/> is a path any tool can open. Each file's SHA-256 lives in a hidden sidecar
/// <c>{root}/a/.b.pth.sha256</c>.
/// <para>
/// Atomicity: content is written to a temporary file in the same folder and renamed over the key. Content and sidecar
/// cannot change in one step, so the sidecar lists every hash a reader may legitimately meet: a writer first writes
/// <c>{new, current}</c>, then renames the content, then writes <c>{new}</c>; a crash anywhere in between leaves a
/// sidecar that still accepts what is on disk. Readers open the content first and read the sidecar right after; the
/// open handle pins that version (a rename replaces the name, not the bytes behind an open handle), so a mismatch means
/// either damage or a whole second overwrite that committed in between, which a retry tells apart. Commits (and
/// deletes) of all writers, in any process, are serialised by an OS lock on <c>{root}/.artifact-store.lock</c>.
/// </para>
/// </summary>
public sealed class LocalFolderArtifactStore : IArtifactStore
{
    private const string LockFileName = ".artifact-store.lock";
    private const int CopyBufferBytes = 1 << 20;
    private const int ReadAttempts = 5;

    public LocalFolderArtifactStore(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Location = Path.GetFullPath(root);
    }

    public string Location { get; }

    /// <summary>Test hook: bytes written so far to the running upload's temporary file (after each chunk).</summary>
    internal Action<long>? BytesStaged { get; set; }

    public string UriOf(string key) =>
        Path.Combine(Location, ArtifactKeys.Validate(key).Replace('/', Path.DirectorySeparatorChar));

    public Task EnsureReachableAsync(CancellationToken cancellation = default)
    {
        try
        {
            Directory.CreateDirectory(Location);
            string probe = Path.Combine(Location, $".probe.{Guid.NewGuid():N}.tmp");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw Unavailable(error);
        }
        return Task.CompletedTask;
    }

    public async Task<ArtifactInfo> PutFileAsync(string key, string sourcePath, CancellationToken cancellation = default)
    {
        await using var source = new FileStream(sourcePath, FileMode.Open, FileAccess.Read, FileShare.Read,
            CopyBufferBytes, FileOptions.Asynchronous | FileOptions.SequentialScan);
        return await PutAsync(key, source, cancellation);
    }

    public async Task<ArtifactInfo> PutBytesAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellation = default)
    {
        using var source = MemoryStreams.Over(content);
        return await PutAsync(key, source, cancellation);
    }

    public async Task<ArtifactInfo> GetFileAsync(string key, string destinationPath, CancellationToken cancellation = default)
    {
        string destination = Path.GetFullPath(destinationPath);
        string folder = Path.GetDirectoryName(destination)!;
        Directory.CreateDirectory(folder);
        string temporary = TemporaryNameIn(folder, Path.GetFileName(destination));
        try
        {
            ArtifactInfo info;
            await using (var sink = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None,
                             CopyBufferBytes, FileOptions.Asynchronous))
            {
                info = await ReadVerifiedAsync(key, sink, cancellation);
            }
            File.Move(temporary, destination, overwrite: true);
            return info;
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    public async Task<byte[]> GetBytesAsync(string key, CancellationToken cancellation = default)
    {
        using var sink = new MemoryStream();
        await ReadVerifiedAsync(key, sink, cancellation);
        return sink.ToArray();
    }

    /// <summary>The key of a file under <see cref="Location"/> (null for paths outside it or hidden ones).</summary>
    public string? KeyOf(string path)
    {
        string relative = Path.GetRelativePath(Location, Path.GetFullPath(path));
        if (relative == "." || relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative)) return null;
        string key = relative.Replace(Path.DirectorySeparatorChar, '/');
        return key.Split('/').Any(segment => segment.StartsWith('.')) ? null : key;
    }

    /// <summary>Checks the stored object against its hash without copying it anywhere.</summary>
    public Task<ArtifactInfo> VerifyAsync(string key, CancellationToken cancellation = default) =>
        ReadVerifiedAsync(key, Stream.Null, cancellation);

    public Task<ArtifactInfo?> GetInfoAsync(string key, CancellationToken cancellation = default)
    {
        string path = UriOf(key);
        var file = new FileInfo(path);
        if (!file.Exists) return Task.FromResult<ArtifactInfo?>(null);
        var hashes = ReadSidecar(path);
        if (hashes.Count == 0) throw new ArtifactCorruptException(path, "(none recorded)", "(not checked)");
        return Task.FromResult<ArtifactInfo?>(new ArtifactInfo(key, path, file.Length, hashes[0], file.LastWriteTimeUtc));
    }

    public async Task<IReadOnlyList<ArtifactInfo>> ListAsync(string prefix, CancellationToken cancellation = default)
    {
        ArtifactKeys.ValidatePrefix(prefix);
        int lastSlash = prefix.LastIndexOf('/');
        string start = lastSlash < 0 ? Location : Path.Combine(Location, prefix[..lastSlash].Replace('/', Path.DirectorySeparatorChar));
        var found = new List<ArtifactInfo>();
        if (!Directory.Exists(start)) return found;
        foreach (string key in KeysUnder(start).Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            cancellation.ThrowIfCancellationRequested();
            // A key deleted since the folder was walked is simply no longer listed.
            if (await GetInfoAsync(key, cancellation) is { } info) found.Add(info);
        }
        return found;
    }

    public Task DeleteAsync(string key, CancellationToken cancellation = default)
    {
        string path = UriOf(key);
        if (!Directory.Exists(Path.GetDirectoryName(path))) return Task.CompletedTask;
        using (StoreLock())
        {
            // Content first: a reader that still finds the sidecar finds no content, never content without a hash.
            File.Delete(path);
            File.Delete(SidecarOf(path));
        }
        return Task.CompletedTask;
    }

    private async Task<ArtifactInfo> PutAsync(string key, Stream source, CancellationToken cancellation)
    {
        string path = UriOf(key);
        string folder = Path.GetDirectoryName(path)!;
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw Unavailable(error);
        }
        string temporary = TemporaryNameIn(folder, Path.GetFileName(path));
        try
        {
            string sha256;
            await using (var sink = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None,
                             CopyBufferBytes, FileOptions.Asynchronous))
            {
                sha256 = await CopyHashingAsync(source, sink, cancellation, BytesStaged);
                sink.Flush(flushToDisk: true);
            }
            cancellation.ThrowIfCancellationRequested();
            Commit(path, temporary, sha256);
            var file = new FileInfo(path);
            return new ArtifactInfo(key, path, file.Length, sha256, file.LastWriteTimeUtc);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private void Commit(string path, string temporary, string sha256)
    {
        string sidecar = SidecarOf(path);
        using (StoreLock())
        {
            string? current = File.Exists(path) ? ReadSidecar(path).FirstOrDefault() : null;
            WriteSidecar(sidecar, current is null || current == sha256 ? [sha256] : [sha256, current]);
            File.Move(temporary, path, overwrite: true);
            WriteSidecar(sidecar, [sha256]);
        }
    }

    /// <summary>Copies the content of <paramref name="key"/> into <paramref name="sink"/> and checks its hash,
    /// starting over when a concurrent overwrite committed between opening the content and reading its sidecar.</summary>
    private async Task<ArtifactInfo> ReadVerifiedAsync(string key, Stream sink, CancellationToken cancellation)
    {
        string path = UriOf(key);
        for (int attempt = 1; ; attempt++)
        {
            FileStream content;
            try
            {
                content = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete,
                    CopyBufferBytes, FileOptions.Asynchronous | FileOptions.SequentialScan);
            }
            catch (Exception error) when (error is FileNotFoundException or DirectoryNotFoundException)
            {
                throw new ArtifactNotFoundException(path);
            }
            await using (content)
            {
                var accepted = ReadSidecar(path);
                var modified = File.GetLastWriteTimeUtc(content.SafeFileHandle);
                sink.SetLength(0);
                string actual = await CopyHashingAsync(content, sink, cancellation);
                if (accepted.Contains(actual))
                    return new ArtifactInfo(key, path, content.Length, actual, modified);
                if (attempt == ReadAttempts)
                    throw new ArtifactCorruptException(path, accepted.Count == 0 ? "(none recorded)" : accepted[0], actual);
            }
            await Task.Delay(10 * attempt, cancellation);
        }
    }

    private static async Task<string> CopyHashingAsync(Stream source, Stream sink, CancellationToken cancellation,
        Action<long>? progress = null)
    {
        long copied = 0;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[CopyBufferBytes];
        int read;
        while ((read = await source.ReadAsync(buffer, cancellation)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            await sink.WriteAsync(buffer.AsMemory(0, read), cancellation);
            progress?.Invoke(copied += read);
        }
        await sink.FlushAsync(cancellation);
        return Sha256Hex.Finish(hash);
    }

    /// <summary>The hashes the sidecar accepts, the current one first; empty when there is no sidecar.</summary>
    private static List<string> ReadSidecar(string path)
    {
        try
        {
            return File.ReadAllLines(SidecarOf(path)).Select(line => line.Trim()).Where(line => line.Length > 0).ToList();
        }
        catch (Exception error) when (error is FileNotFoundException or DirectoryNotFoundException)
        {
            return [];
        }
    }

    private static void WriteSidecar(string sidecar, IEnumerable<string> hashes)
    {
        string temporary = TemporaryNameIn(Path.GetDirectoryName(sidecar)!, Path.GetFileName(sidecar));
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            using (var writer = new StreamWriter(stream))
            {
                foreach (string hash in hashes) writer.WriteLine(hash);
                writer.Flush();
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, sidecar, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static string SidecarOf(string path) =>
        Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.sha256");

    private static string TemporaryNameIn(string folder, string name) => Path.Combine(folder, $".{name}.{Guid.NewGuid():N}.tmp");

    /// <summary>An exclusive OS lock (flock on Unix) shared by every process that opens this root.</summary>
    private FileStream StoreLock()
    {
        string path = Path.Combine(Location, LockFileName);
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (attempt < 2000 && File.Exists(path))
            {
                Thread.Sleep(5);
            }
        }
    }

    private IEnumerable<string> KeysUnder(string folder)
    {
        foreach (string file in Directory.EnumerateFiles(folder))
        {
            if (!Path.GetFileName(file).StartsWith('.'))
                yield return Path.GetRelativePath(Location, file).Replace(Path.DirectorySeparatorChar, '/');
        }
        foreach (string child in Directory.EnumerateDirectories(folder))
        {
            if (Path.GetFileName(child).StartsWith('.')) continue;
            foreach (string key in KeysUnder(child)) yield return key;
        }
    }

    private ArtifactStoreUnavailableException Unavailable(Exception error) =>
        new($"artifact folder {Location}", error.Message.ReplaceLineEndings(" "), error);
}
