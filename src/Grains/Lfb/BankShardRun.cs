using System.Diagnostics;
using Cluster.Abstractions.Data;
using Cluster.Abstractions.Lfb;
using Cluster.Grains.Workers;
using Cluster.Training.Storage;

namespace Cluster.Grains.Lfb;

/// <summary>What a <see cref="BankShardRun"/> computes with and reports to.</summary>
/// <param name="ScratchPath">Local folder for the part before it is uploaded.</param>
public sealed record BankShardEnvironment(
    string WorkerKey,
    string Device,
    IArtifactStore Store,
    string ScratchPath,
    IDatasetShardGrain Shard,
    IFeatureBankGrain Bank,
    IBankShardComputer Computer);

/// <summary>
/// One shard of a bank on a compute slot, on a dedicated thread: claims the shard at its DatasetShardGrain (a shard
/// that already has a part is not computed again: its record is reported as it is), computes the part, uploads it to
/// <c>banks/{id}/parts/{split}/{shard}.bank</c>, records it at the shard grain and then reports it to the bank grain
/// (retried until delivered or the run is stopped). Live feature counts go to the bank grain about twice a second.
/// </summary>
public sealed class BankShardRun : ISlotRun
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);

    private readonly BankShardWork work;
    private readonly BankShardEnvironment environment;
    private readonly CancellationTokenSource cancel = new();
    private readonly CancellationTokenSource abandon = new();
    private readonly Thread thread;
    private readonly TaskCompletionSource<BankShardOutcome> computed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task reported;
    private readonly Stopwatch sinceProgress = Stopwatch.StartNew();

    public BankShardRun(BankShardWork work, BankShardEnvironment environment)
    {
        this.work = work;
        this.environment = environment;
        thread = new Thread(Compute) { IsBackground = true, Name = $"bank-{work.BankId}-{work.Split}-{work.Shard}" };
        reported = computed.Task.ContinueWith(t => Deliver(t.Result), TaskScheduler.Default).Unwrap();
    }

    public string ExperimentId => work.LeaseId;
    public int Generation => work.Attempt;
    public bool IsTraining => !computed.Task.IsCompleted;
    public bool IsBusy => !reported.IsCompleted;

    /// <summary>Ends when the shard was computed (or failed) and its outcome delivered (or given up on).</summary>
    public Task Completion => reported;

    public void Start() => thread.Start();

    public async Task StopAsync(TimeSpan reportTimeout)
    {
        await cancel.CancelAsync();
        if (thread.ThreadState == System.Threading.ThreadState.Unstarted)
            computed.TrySetResult(Outcome(null, "stopped before it started", retryable: true));
        await computed.Task;
        if (await Task.WhenAny(reported, Task.Delay(reportTimeout)) != reported) await abandon.CancelAsync();
        await reported;
    }

    private void Compute()
    {
        BankShardOutcome outcome;
        try
        {
            outcome = Outcome(ComputeOrReuse(), null, retryable: false);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            outcome = Outcome(null, "stopped", retryable: true);
        }
        catch (Exception error)
        {
            outcome = Outcome(null, WorkerRun.OneLine(error), IsEnvironmental(error));
        }
        computed.TrySetResult(outcome);
    }

    private BankPart ComputeOrReuse()
    {
        var claim = Wait(() => environment.Shard.ClaimBankWork(work.BankId, work.Videos));
        if (claim.Part is { } stored) return stored;

        string folder = Path.Combine(environment.ScratchPath, "banks", work.BankId, work.Split);
        Directory.CreateDirectory(folder);
        string local = Path.Combine(folder, $"{work.Shard}.attempt{work.Attempt}.bank");
        try
        {
            var clock = Stopwatch.StartNew();
            var result = environment.Computer.Compute(work, environment.Device, local, Progress, cancel.Token);
            double seconds = clock.Elapsed.TotalSeconds;
            var info = Wait(() => environment.Store.PutFileAsync(work.PartKey, local, cancel.Token));
            var part = new BankPart(new BankBlob(info.Key, info.Uri, info.Bytes, info.Sha256), result.Features, result.Videos, seconds,
                environment.WorkerKey, DateTimeOffset.UtcNow);
            return Wait(() => environment.Shard.CompleteBankWork(work.BankId, part));
        }
        finally
        {
            File.Delete(local);
        }
    }

    private void Progress(long features, int keyframes)
    {
        if (sinceProgress.Elapsed < ProgressInterval) return;
        sinceProgress.Restart();
        environment.Bank.ShardProgress(new BankShardProgress(work.Split, work.Shard, work.Attempt, features, keyframes)).Ignore();
    }

    private async Task Deliver(BankShardOutcome outcome)
    {
        var backoff = FirstBackoff;
        while (!abandon.IsCancellationRequested)
        {
            try
            {
                await environment.Bank.ShardEnded(outcome);
                return;
            }
            catch (Exception) when (!abandon.IsCancellationRequested)
            {
                // The bank's silo died and its grain is coming back elsewhere: try again.
                try
                {
                    await Task.Delay(backoff, abandon.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                backoff = TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, backoff.Ticks * 2));
            }
            catch (Exception)
            {
                return;
            }
        }
    }

    private BankShardOutcome Outcome(BankPart? part, string? error, bool retryable) =>
        new(work.Split, work.Shard, work.Attempt, environment.WorkerKey, part, error, retryable);

    /// <summary>Storage or cluster trouble, not the computation's: the shard is worth handing out again.</summary>
    private static bool IsEnvironmental(Exception error) =>
        error is ArtifactStoreUnavailableException or OrleansException or TimeoutException
        || (error is IOException && error is not ArtifactNotFoundException and not ArtifactCorruptException and not FileNotFoundException
            and not DirectoryNotFoundException and not InvalidDataException);

    /// <summary>Blocks this dedicated thread on a grain or storage call, off any scheduler.</summary>
    private static T Wait<T>(Func<Task<T>> call) => Task.Run(call).GetAwaiter().GetResult();
}
