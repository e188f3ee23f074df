using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Cluster.Tests.Infrastructure;

/// <summary>
/// A cluster of real silo processes started by <c>scripts/local-cluster.sh</c> (Redis membership, Azurite blobs, K
/// <c>cluster silo --mode redis</c> processes on loopback) in a temporary folder, running this build's
/// <c>cluster.dll</c>. Silos are numbered from 1 in start order (<c>silo-1</c>, ...); <see cref="Kill"/> is kill -9,
/// <see cref="Pause"/>/<see cref="Resume"/> are SIGSTOP/SIGCONT (a hung, not dead, silo), <see cref="AddAsync"/> is a
/// silo joining. <see cref="DisposeAsync"/> stops everything, also after a failed test.
/// Shared with bench/Cluster.Bench (linked source): no test framework here.
/// </summary>
public sealed class LocalCluster : IAsyncDisposable
{
    /// <summary>One line of <c>local-cluster.sh list</c>.</summary>
    /// <param name="State">running, stopped (SIGSTOP) or exited.</param>
    /// <param name="Address">Orleans' parsable silo address, as worker assignments name silos.</param>
    /// <param name="Gateway">host:port for <c>--gateway</c>.</param>
    public sealed record Silo(int Index, string Name, int Pid, string State, string Address, string Gateway)
    {
        public bool IsRunning => State == "running";
    }

    /// <summary>The cluster id a `cluster` client given only --gateway assumes (without CLUSTER_ID): every local
    /// cluster has its own Redis, so they never meet.</summary>
    public const string ClientClusterId = "cluster";

    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(4);
    private readonly string script;
    private readonly Dictionary<string, string> environment;
    private IHost? clientHost;

    private LocalCluster(string folder, string script, Dictionary<string, string> environment)
    {
        Folder = folder;
        this.script = script;
        this.environment = environment;
    }

    /// <summary>Where the script keeps pid files, logs, Azurite's data and cluster.env.</summary>
    public string Folder { get; }

    public string RedisEndpoint => environment["CLUSTER_REDIS"];
    public string ClusterId => environment["CLUSTER_ID"];
    public string StorageConnectionString => environment["Cluster__Storage__ConnectionString"];
    public string Container => environment["Cluster__Storage__Container"];

    /// <summary>Starts <paramref name="silos"/> silos with <paramref name="cpuSlots"/> CPU slots and
    /// <paramref name="torchThreads"/> torch threads each (1 keeps silos of a small machine out of each other's way).</summary>
    public static async Task<LocalCluster> StartAsync(int silos, int cpuSlots = 1, int torchThreads = 1)
    {
        string folder = Directory.CreateTempSubdirectory("local-cluster-").FullName;
        string script = Path.Combine(AzuriteProcess.RepositoryRoot(), "scripts", "local-cluster.sh");
        try
        {
            await RunScriptAsync(script, "start", silos.ToString(), "--dir", folder, "--cpu-slots", cpuSlots.ToString(),
                "--torch-threads", torchThreads.ToString(), "--cluster-id", ClientClusterId);
        }
        catch
        {
            await RunScriptAsync(script, "stop", "--dir", folder).ContinueWith(_ => { });
            DeleteFolder(folder);
            throw;
        }
        return new LocalCluster(folder, script, ReadEnvironment(Path.Combine(folder, "cluster.env")));
    }

    /// <summary>Every silo ever started here, in index order, with its current state.</summary>
    public async Task<IReadOnlyList<Silo>> ListAsync()
    {
        string output = await RunScriptAsync(script, "list", "--dir", Folder);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(ParseListLine).ToList();
    }

    public async Task<Silo> SiloAsync(int index) =>
        (await ListAsync()).SingleOrDefault(s => s.Index == index) ?? throw new ArgumentOutOfRangeException(nameof(index), $"no silo-{index} in {Folder}");

    /// <summary>The gateways of the running silos, comma-separated for <c>--gateway</c>.</summary>
    public async Task<string> GatewaysAsync() => string.Join(',', (await ListAsync()).Where(s => s.IsRunning).Select(s => s.Gateway));

    /// <summary>Starts one more silo into the cluster and waits until it is ready.</summary>
    public async Task<Silo> AddAsync()
    {
        await RunScriptAsync(script, "add", "--dir", Folder);
        return (await ListAsync())[^1];
    }

    /// <summary>
    /// Starts silos until <paramref name="running"/> are running, then waits until the registry lists a free slot on
    /// each of them (a silo registers its slots after its ready line), so an experiment submitted next sees them all.
    /// </summary>
    public async Task EnsureRunningAsync(int running)
    {
        while ((await ListAsync()).Count(s => s.IsRunning) < running) await AddAsync();
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var addresses = (await ListAsync()).Where(s => s.IsRunning).Select(s => s.Address).ToHashSet();
            var view = await Client.GetGrain<Cluster.Abstractions.Registry.IClusterRegistryGrain>(0).GetView();
            int free = view.Silos.Where(s => s.Alive && addresses.Contains(s.Silo.Address))
                .Count(s => s.Slots.Any(slot => slot.ExperimentId is null));
            if (free >= running) return;
            if (deadline.Elapsed > TimeSpan.FromMinutes(1))
                throw new TimeoutException($"the registry lists {free} of {running} running silos with a free slot after 1 min\n{Diagnostics()}");
            await Task.Delay(250);
        }
    }

    /// <summary>kill -9: no graceful leave; the cluster must notice by itself.</summary>
    public Task KillAsync(int index) => SignalAsync(index, SigKill);

    /// <summary>kill -9 of a silo listed before, at once (without listing the silos again).</summary>
    public Task KillAsync(Silo silo) => SignalAsync(silo, SigKill);

    /// <summary>SIGSTOP: the process is alive (its sockets stay open) but does nothing.</summary>
    public Task PauseAsync(int index) => SignalAsync(index, SigStop);

    /// <summary>SIGSTOP to a silo listed before, at once (without listing the silos again).</summary>
    public Task PauseAsync(Silo silo) => SignalAsync(silo, SigStop);

    public Task ResumeAsync(int index) => SignalAsync(index, SigCont);

    private async Task SignalAsync(int index, int signal) => await SignalAsync(await SiloAsync(index), signal);

    private async Task SignalAsync(Silo silo, int signal)
    {
        if (kill(silo.Pid, signal) != 0)
            throw new InvalidOperationException($"kill({silo.Pid}, {signal}) for {silo.Name} failed: errno {Marshal.GetLastPInvokeError()}");
        if (signal == SigKill)
        {
            // Until the process is gone its ports may still answer.
            var deadline = Stopwatch.StartNew();
            while (File.Exists($"/proc/{silo.Pid}/stat") && !IsZombie(silo.Pid) && deadline.Elapsed < TimeSpan.FromSeconds(10))
                await Task.Delay(50);
        }
    }

    private static bool IsZombie(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (IOException)
        {
            return true;
        }
    }

    /// <summary>An Orleans client connected through the cluster's Redis membership (started on first use).</summary>
    public IClusterClient Client
    {
        get
        {
            clientHost ??= RedisClusterClient.Start(RedisEndpoint, ClusterId);
            return clientHost.Services.GetRequiredService<IClusterClient>();
        }
    }

    /// <summary>The last lines of every silo's stdout and stderr, for a failing assertion's message.</summary>
    public string Diagnostics(int lines = 8)
    {
        var text = new System.Text.StringBuilder();
        foreach (string file in Directory.GetFiles(Folder, "silo-*.*").Where(f => f.EndsWith(".log") || f.EndsWith(".err")).Order())
        {
            text.AppendLine($"--- {Path.GetFileName(file)}");
            foreach (string line in File.ReadLines(file).TakeLast(lines)) text.AppendLine(line.Length > 300 ? line[..300] + " ..." : line);
        }
        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        if (clientHost is not null)
        {
            using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await clientHost.StopAsync(stopping.Token);
            }
            catch (Exception)
            {
                // The silos are about to go anyway.
            }
            clientHost.Dispose();
        }
        try
        {
            await RunScriptAsync(script, "stop", "--dir", Folder);
        }
        finally
        {
            if (Environment.GetEnvironmentVariable("LOCAL_CLUSTER_KEEP") is null) DeleteFolder(Folder);
        }
    }

    private static Silo ParseListLine(string line)
    {
        var columns = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (columns.Length != 5 || !columns[0].StartsWith("silo-", StringComparison.Ordinal))
            throw new FormatException($"unexpected local-cluster.sh list line '{line}'");
        return new Silo(int.Parse(columns[0]["silo-".Length..]), columns[0], columns[1] == "-" ? 0 : int.Parse(columns[1]),
            columns[2], columns[3], columns[4]);
    }

    /// <summary>cluster.env's <c>export KEY=VALUE</c> lines (values optionally in single quotes).</summary>
    private static Dictionary<string, string> ReadEnvironment(string path)
    {
        var values = new Dictionary<string, string>();
        foreach (string line in File.ReadLines(path))
        {
            string assignment = line.StartsWith("export ", StringComparison.Ordinal) ? line["export ".Length..] : line;
            int equals = assignment.IndexOf('=');
            if (equals < 1) continue;
            values[assignment[..equals]] = assignment[(equals + 1)..].Trim('\'');
        }
        return values;
    }

    private static async Task<string> RunScriptAsync(string script, params string[] arguments)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        // The silos run this build (the test or bench output has the client's cluster.dll), not artifacts/cluster.
        start.Environment["LOCAL_CLUSTER_DLL"] = Path.Combine(AppContext.BaseDirectory, "cluster.dll");
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not run {script}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(ScriptTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"local-cluster.sh {string.Join(' ', arguments)} took over {ScriptTimeout.TotalMinutes} min");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException(
                $"local-cluster.sh {string.Join(' ', arguments)} exited {process.ExitCode}: {(await error).Trim()}");
        return await output;
    }

    private static void DeleteFolder(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private const int SigKill = 9, SigCont = 18, SigStop = 19; // Linux x86-64 and arm64

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);
}
