using System.Diagnostics;
using Cluster.Tests.Infrastructure;

namespace Cluster.Tests.Acceptance;

/// <summary>
/// scripts/local-cluster.sh as the tests use it: start, list (names, pids, states, addresses, gateways), add (a silo
/// joining), SIGSTOP/SIGCONT and kill -9 seen in the list, stop; and its one-line errors for bad input.
/// </summary>
public sealed class LocalClusterScriptTests
{
    [Fact]
    public async Task Start_list_add_pause_kill_and_stop()
    {
        string folder;
        await using (var cluster = await LocalCluster.StartAsync(silos: 1))
        {
            folder = cluster.Folder;
            var first = Assert.Single(await cluster.ListAsync());
            Assert.Equal(("silo-1", "running"), (first.Name, first.State));
            Assert.Matches(@"^127\.0\.0\.1:\d+@\d+$", first.Address);
            Assert.Matches(@"^127\.0\.0\.1:\d+$", first.Gateway);
            Assert.Equal(File.ReadAllText(Path.Combine(folder, "silo-1.pid")).Trim(), first.Pid.ToString());

            var second = await cluster.AddAsync();
            Assert.Equal((2, "running"), (second.Index, second.State));
            Assert.NotEqual(first.Address, second.Address);
            Assert.Equal($"{first.Gateway},{second.Gateway}", await cluster.GatewaysAsync());
            await cluster.EnsureRunningAsync(2); // both registered their slot with the cluster

            await cluster.PauseAsync(1);
            Assert.Equal("stopped", (await cluster.SiloAsync(1)).State);
            await cluster.ResumeAsync(1);
            Assert.Equal("running", (await cluster.SiloAsync(1)).State);

            await cluster.KillAsync(2);
            Assert.Equal(["running", "exited"], (await cluster.ListAsync()).Select(s => s.State));
            Assert.Equal(first.Gateway, await cluster.GatewaysAsync());
        }
        Assert.False(Directory.Exists(folder));
    }

    [Theory]
    [InlineData("start 0", "K must be a positive number of silos (got '0')")]
    [InlineData("start 2 --cpu-slots x", "--cpu-slots must be a positive number (got 'x')")]
    [InlineData("start 2 --torch-threads 0", "--torch-threads must be a positive number (got '0')")]
    [InlineData("add", "no running cluster in")]
    [InlineData("list --bogus", "unknown option '--bogus'")]
    [InlineData("frobnicate", "usage:")]
    public void Bad_input_is_one_line_on_stderr_and_exit_2(string arguments, string message)
    {
        string folder = Directory.CreateTempSubdirectory("local-cluster-bad-").FullName;
        try
        {
            var start = new ProcessStartInfo("bash") { RedirectStandardError = true, RedirectStandardOutput = true };
            start.ArgumentList.Add(Path.Combine(AzuriteProcess.RepositoryRoot(), "scripts", "local-cluster.sh"));
            foreach (string argument in arguments.Split(' ')) start.ArgumentList.Add(argument);
            start.ArgumentList.Add("--dir");
            start.ArgumentList.Add(Path.Combine(folder, "cluster"));
            using var process = Process.Start(start)!;
            string error = process.StandardError.ReadToEnd();
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();

            Assert.Equal(2, process.ExitCode);
            var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith("local-cluster: ", line);
            Assert.Contains(message, line);
            Assert.False(Directory.Exists(Path.Combine(folder, "cluster")), "bad input created the cluster folder");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
