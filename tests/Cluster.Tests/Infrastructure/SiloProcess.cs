using System.Diagnostics;

namespace Cluster.Tests.Infrastructure;

/// <summary>
/// A real <c>cluster silo</c> process started from the client build in the test output folder; waits for its ready
/// line. <see cref="Kill"/> is SIGKILL (no graceful leave), so the rest of the cluster must detect the loss.
/// </summary>
public sealed class SiloProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _stderr = [];

    /// <summary>The ready line, e.g. <c>silo a ready at 127.0.0.1:40001@1234, gateway 40002, slots: cpu:0</c>.</summary>
    public string ReadyLine { get; }

    /// <summary>Orleans' parsable silo address from the ready line.</summary>
    public string Address { get; }

    private SiloProcess(Process process, List<string> stderr, string readyLine)
    {
        (_process, _stderr, ReadyLine) = (process, stderr, readyLine);
        const string marker = " ready at ";
        var start = readyLine.IndexOf(marker, StringComparison.Ordinal) + marker.Length;
        Address = readyLine[start..readyLine.IndexOf(',', start)];
    }

    public static Task<SiloProcess> StartAsync(params string[] arguments) => Task.Run(() => Start(arguments));

    private static SiloProcess Start(string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "cluster.dll"));
        start.ArgumentList.Add("silo");
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        var process = Process.Start(start)!;
        var stderr = new List<string>();
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.Add(e.Data); };
        process.BeginErrorReadLine();
        var readTask = Task.Run(() =>
        {
            while (process.StandardOutput.ReadLine() is { } line)
                if (line.StartsWith("silo ", StringComparison.Ordinal) && line.Contains(" ready at ", StringComparison.Ordinal))
                    return line;
            return null;
        });
        if (!readTask.Wait(TimeSpan.FromSeconds(90)) || readTask.Result is null)
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.WaitForExit();
            lock (stderr)
                throw new InvalidOperationException($"cluster silo {string.Join(' ', arguments)} did not get ready: {string.Join(" | ", stderr.TakeLast(10))}");
        }
        // Keep draining stdout so the silo never blocks on a full pipe.
        _ = Task.Run(() => process.StandardOutput.ReadToEnd());
        return new SiloProcess(process, stderr, readTask.Result);
    }

    public void Kill()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public string StandardError { get { lock (_stderr) return string.Join('\n', _stderr); } }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
}
