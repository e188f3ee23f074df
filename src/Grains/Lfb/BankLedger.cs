using Cluster.Abstractions.Data;
using Cluster.Abstractions.Lfb;

namespace Cluster.Grains.Lfb;

/// <summary>The bank grain's bookkeeping, free of Orleans: requests, shard hand-outs and outcomes, status.</summary>
public static class BankLedger
{
    /// <summary>
    /// Applies a compute request: a new split gets its shards (pending), a failed or cancelled one starts again keeping
    /// its finished shards, an active or completed one is left as it is. Returns whether the record changed.
    /// </summary>
    /// <exception cref="BankRejectedException">A bad request, or one that conflicts with the split's first request.</exception>
    public static bool Request(BankRecord record, string bankId, BankRequest request, DateTimeOffset now)
    {
        Validate(bankId, request);
        if (record.Splits.TryGetValue(request.Split, out var job))
        {
            if (job.Request.ConfigYaml != request.ConfigYaml || job.Request.Dtype != request.Dtype || !job.Request.Videos.SequenceEqual(request.Videos))
                throw new BankRejectedException(
                    $"bank '{bankId}' already holds split {request.Split} computed from another config, dtype or video list ({job.Request.ConfigName}, {job.Request.Dtype}); " +
                    "use another bank id");
            if (job.IsActive || job.State == BankState.Completed) return false;
            job.State = BankState.Pending;
            job.Reason = null;
            job.EndedAt = null;
            foreach (var shard in job.Shards) shard.Worker = null;
            return true;
        }
        int count = Math.Min(request.Shards, request.Videos.Count);
        record.ConfigName ??= request.ConfigName;
        record.Splits[request.Split] = new BankSplitJob
        {
            Request = request,
            State = BankState.Pending,
            CreatedAt = now,
            Shards = Enumerable.Range(0, count).Select(i => new BankShardEntry
            {
                Index = i,
                Key = ShardKey.For(request.Dataset, request.Split, i, count),
                Videos = BankSplits.ShardVideos(request.Videos, i, count).ToList(),
            }).ToList(),
        };
        return true;
    }

    private static void Validate(string bankId, BankRequest request)
    {
        if (string.IsNullOrWhiteSpace(bankId) || bankId.Contains("..") || bankId.Any(c => char.IsWhiteSpace(c) || c is '\\' or '?' or '#'))
            throw new BankRejectedException($"bank id '{bankId}' is not a usable blob folder name");
        if (!BankSplits.All.Contains(request.Split))
            throw new BankRejectedException($"split '{request.Split}' is not one of {string.Join(", ", BankSplits.All)}");
        if (!BankSplits.Dtypes.Contains(request.Dtype))
            throw new BankRejectedException($"dtype '{request.Dtype}' is not one of {string.Join(", ", BankSplits.Dtypes)}");
        if (request.MaxWorkers is < 1)
            throw new BankRejectedException($"workers must be at least 1, got {request.MaxWorkers}");
        if (request.Shards < 1)
            throw new BankRejectedException($"shards must be at least 1, got {request.Shards}");
        if (request.Videos.Count == 0)
            throw new BankRejectedException($"split {request.Split} of {request.ConfigName} has no videos");
        if (request.Videos.Distinct(StringComparer.Ordinal).Count() != request.Videos.Count)
            throw new BankRejectedException($"split {request.Split} of {request.ConfigName} lists a video twice");
        if (string.IsNullOrWhiteSpace(request.ConfigYaml) || string.IsNullOrWhiteSpace(request.Dataset))
            throw new BankRejectedException($"request for {request.ConfigName} has no config or dataset identity");
    }

    /// <summary>Active splits' shards waiting for a worker, in split then shard order.</summary>
    public static IReadOnlyList<(BankSplitJob Job, BankShardEntry Shard)> Pending(BankRecord record) =>
        Active(record).SelectMany(job => job.Shards.Where(s => s.IsPending).Select(s => (job, s))).ToList();

    public static IReadOnlyList<(BankSplitJob Job, BankShardEntry Shard)> Running(BankRecord record) =>
        Active(record).SelectMany(job => job.Shards.Where(s => s.IsRunning).Select(s => (job, s))).ToList();

    public static IEnumerable<BankSplitJob> Active(BankRecord record) =>
        record.Splits.Values.Where(j => j.State is BankState.Pending or BankState.Running).OrderBy(j => j.Request.Split, StringComparer.Ordinal);

    /// <summary>Hands a shard to a worker: a new attempt number, and the work the worker gets.</summary>
    public static BankShardWork Assign(BankRecord record, string bankId, BankSplitJob job, BankShardEntry shard, string workerKey, DateTimeOffset now)
    {
        shard.Worker = workerKey;
        shard.Attempt = ++record.Attempts;
        shard.Attempts++;
        job.State = BankState.Running;
        job.StartedAt ??= now;
        var request = job.Request;
        return new BankShardWork(bankId, request.Split, shard.Index, shard.Attempt, shard.Key,
            BankSplits.PartKey(bankId, request.Split, shard.Index), request.Dtype, request.ConfigName, request.ConfigYaml, shard.Videos);
    }

    /// <summary>What a worker's outcome did to the bank.</summary>
    public enum OutcomeEffect
    {
        /// <summary>Stale (another attempt, a finished shard): ignored.</summary>
        Ignored,
        /// <summary>A part was recorded or the shard went back to pending.</summary>
        Changed,
        /// <summary>The split failed (a computation error, or too many retryable failures).</summary>
        Failed,
    }

    public static OutcomeEffect Apply(BankRecord record, BankShardOutcome outcome, int maxShardFailures, DateTimeOffset now)
    {
        if (!record.Splits.TryGetValue(outcome.Split, out var job) || !job.IsActive) return OutcomeEffect.Ignored;
        var shard = job.Shards.FirstOrDefault(s => s.Index == outcome.Shard);
        if (shard is null || shard.IsDone) return OutcomeEffect.Ignored;
        if (outcome.Part is { } part)
        {
            // Whichever attempt stored it: the shard grain returns the first part recorded, so this is the shard's part.
            Adopt(shard, part);
            return OutcomeEffect.Changed;
        }
        if (shard.Attempt != outcome.Attempt || shard.Worker != outcome.WorkerKey) return OutcomeEffect.Ignored;
        shard.Worker = null;
        string error = $"shard {shard.Index} ({shard.Key}) on {outcome.WorkerKey}: {outcome.Error}";
        if (outcome.Retryable && ++shard.Failures < maxShardFailures)
        {
            job.Retries++;
            return OutcomeEffect.Changed;
        }
        End(job, BankState.Failed, outcome.Retryable ? $"{error} (failed {shard.Failures} times)" : error, now);
        return OutcomeEffect.Failed;
    }

    /// <summary>A worker lost (silo gone, slot busy with something else): its shard waits for another.</summary>
    public static void Lost(BankSplitJob job, BankShardEntry shard)
    {
        shard.Worker = null;
        job.Retries++;
    }

    /// <summary>The shard grain holds a part the bank never heard of (its report was lost): adopt it.</summary>
    public static void Adopt(BankShardEntry shard, BankPart part)
    {
        shard.Part = part;
        shard.Worker = null;
    }

    public static bool AllDone(BankSplitJob job) => job.Shards.All(s => s.IsDone);

    public static void End(BankSplitJob job, BankState state, string? reason, DateTimeOffset now)
    {
        job.State = state;
        job.Reason = reason;
        job.EndedAt = now;
        foreach (var shard in job.Shards) shard.Worker = null;
    }

    /// <summary>Parts in shard order (the merge's input).</summary>
    public static IReadOnlyList<BankPart> Parts(BankSplitJob job) => job.Shards.OrderBy(s => s.Index).Select(s => s.Part!).ToList();

    /// <param name="live">Running shards' live feature counts by (split, shard).</param>
    public static BankStatus ToStatus(BankRecord record, string bankId, Func<string, int, long> live, DateTimeOffset now, string? silo) =>
        new(bankId, record.ConfigName ?? "", record.Splits.Values.OrderBy(j => j.Request.Split, StringComparer.Ordinal)
            .Select(job => SplitStatus(job, live, now)).ToList(), silo);

    private static BankSplitStatus SplitStatus(BankSplitJob job, Func<string, int, long> live, DateTimeOffset now)
    {
        string split = job.Request.Split;
        var shards = job.Shards.Select(s => new BankShardView(s.Index, s.Key, s.Videos.Count,
            s.IsDone ? "done" : s.IsRunning ? "running" : "pending",
            s.IsDone ? s.Part!.WorkerKey : s.Worker,
            s.IsDone ? s.Part!.Features : s.IsRunning ? live(split, s.Index) : 0,
            s.Attempts)).ToList();
        long features = shards.Sum(s => s.Features);
        double seconds = job.StartedAt is { } started ? ((job.EndedAt ?? now) - started).TotalSeconds : 0;
        return new BankSplitStatus(split, job.State, job.Reason, job.Request.Dtype, shards.Count(s => s.State == "done"), shards.Count,
            features, seconds > 0 ? features / seconds : 0, job.Retries, job.Bank, job.CreatedAt, job.StartedAt, job.EndedAt, shards);
    }

    public static IEnumerable<BankSummary> Summaries(BankRecord record, string bankId) =>
        record.Splits.Values.Select(job => new BankSummary(bankId, job.Request.ConfigName, job.Request.Split, job.State,
            job.Shards.Count(s => s.IsDone), job.Shards.Count, job.Shards.Sum(s => s.Part?.Features ?? 0), job.Request.Dtype,
            job.CreatedAt, job.EndedAt, job.Bank?.Uri));
}
