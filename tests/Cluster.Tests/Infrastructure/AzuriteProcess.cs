using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Cluster.Tests.Infrastructure;

/// <summary>
/// A real Azurite blob service on a free loopback port with its data in a temporary folder, killed (with its data)
/// on dispose. Azurite comes from <c>scripts/setup.sh</c> (<c>.tools/azurite</c> beside Cluster.sln); when it is
/// missing the start fails with that instruction: the Azure backend is never silently skipped.
/// </summary>
public sealed class AzuriteProcess : IAsyncDisposable
{
    /// <summary>Azurite's documented, public development account and key.</summary>
    public const string AccountName = "devstoreaccount1";
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly Process process;
    private readonly string dataFolder;

    private AzuriteProcess(Process process, string dataFolder, int port)
    {
        this.process = process;
        this.dataFolder = dataFolder;
        Port = port;
    }

    public int Port { get; }

    public string BlobEndpoint => $"http://127.0.0.1:{Port}/{AccountName}";

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};BlobEndpoint={BlobEndpoint};";

    /// <summary>The azurite-blob script under the repository's .tools, or an exception that says how to install it.</summary>
    public static string Executable()
    {
        string root = RepositoryRoot();
        string path = Path.Combine(root, ".tools", "azurite", "node_modules", ".bin", "azurite-blob");
        if (!File.Exists(path))
            throw new InvalidOperationException($"Azurite is not installed ({path} is missing): run scripts/setup.sh");
        return path;
    }

    public static async Task<AzuriteProcess> StartAsync()
    {
        string executable = Executable();
        // A free port can be taken between probing and binding: try a few.
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnceAsync(executable, FreePort());
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
            }
        }
    }

    private static async Task<AzuriteProcess> StartOnceAsync(string executable, int port)
    {
        string data = Directory.CreateTempSubdirectory("azurite-").FullName;
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[] { "--blobHost", "127.0.0.1", "--blobPort", port.ToString(), "--location", data,
                     "--silent", "--skipApiVersionCheck" })
            start.ArgumentList.Add(argument);
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {executable}");
        var errors = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, line) => { if (line.Data is { } text) lock (errors) errors.AppendLine(text); };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var azurite = new AzuriteProcess(process, data, port);
        var deadline = Stopwatch.StartNew();
        while (!await azurite.AnswersAsync())
        {
            if (process.HasExited || deadline.Elapsed > StartTimeout)
            {
                await azurite.DisposeAsync();
                string reason;
                lock (errors) reason = errors.ToString().Trim();
                throw new InvalidOperationException(
                    $"Azurite did not start on port {port} within {StartTimeout.TotalSeconds:0} s: {(reason.Length > 0 ? reason : "no output")}");
            }
            await Task.Delay(100);
        }
        return azurite;
    }

    /// <summary>Any HTTP answer (Azurite says 400 to a bare GET) means it is listening.</summary>
    private async Task<bool> AnswersAsync()
    {
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            using var response = await http.GetAsync($"http://127.0.0.1:{Port}/");
            return true;
        }
        catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>The folder holding Cluster.sln, found by walking up from the test binaries.</summary>
    public static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Cluster.sln"))) return folder.FullName;
        }
        throw new InvalidOperationException($"no Cluster.sln above {AppContext.BaseDirectory}");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        process.Dispose();
        try
        {
            Directory.Delete(dataFolder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
