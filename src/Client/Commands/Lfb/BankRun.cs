using System.Text.Json;
using Cluster.Abstractions.Lfb;
using Cluster.Client.Connection;

namespace Cluster.Client.Commands.Lfb;

/// <summary>Submits a prepared bank split and, unless detached, follows it to its end with a progress line per change.</summary>
internal static class BankRun
{
    public static async Task<int> Compute(ClusterConnection connection, BankPreparation.Prepared prepared, bool detach, bool json,
        TextWriter output, TextWriter error, CancellationToken cancellation)
    {
        var log = json ? error : output;
        ClusterOptions.LogIfEmbedded(connection, log);
        var request = prepared.Request;
        var submitted = await connection.Client.GetGrain<IFeatureBankGrain>(prepared.BankId).Compute(request);
        output.WriteLine(prepared.BankId);
        var split = submitted.Split(request.Split)!;
        log.WriteLine($"bank {prepared.BankId}: split {request.Split} of {request.ConfigName}, {request.Videos.Count} videos in {split.ShardsTotal} shards, {request.Dtype}"
                      + (split.State.IsTerminal() ? $" (already {split.State.ToString().ToLowerInvariant()})" : ""));
        if (detach)
        {
            if (json) output.WriteLine(Json(prepared.BankId, split));
            return 0;
        }
        return await Follow(connection, prepared.BankId, request.Split, json, output, error, cancellation);
    }

    /// <summary>Follows one split until it ends. Exit 0 Completed, 1 Failed, 130 Cancelled. Ctrl+C stops following
    /// (on the embedded silo, which ends with this process, it cancels the bank).</summary>
    public static async Task<int> Follow(ClusterConnection connection, string id, string split, bool json, TextWriter output,
        TextWriter error, CancellationToken cancellation)
    {
        var log = json ? error : output;
        var grain = connection.Client.GetGrain<IFeatureBankGrain>(id);
        string? last = null;
        BankSplitStatus final;
        try
        {
            var status = await StatusPoller.Poll(grain.GetStatus, s => s.Split(split)?.State.IsTerminal() ?? true, s =>
            {
                if (s.Split(split) is not { } current) return;
                string line = ProgressLine(current);
                if (line != last) log.WriteLine(line);
                last = line;
            }, cancellation);
            final = status.Split(split) ?? throw new UnknownBankException(id);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            if (!connection.IsEmbedded)
            {
                log.WriteLine($"stopped following bank {id}; it keeps computing (cluster lfb status {id})");
                throw;
            }
            var after = await grain.Cancel("interrupted (Ctrl+C) with the embedded silo");
            final = after.Split(split)!;
        }
        log.WriteLine(EndLine(id, final));
        if (json) output.WriteLine(Json(id, final));
        return final.State switch
        {
            BankState.Completed => 0,
            BankState.Cancelled => CommandErrors.Cancelled,
            _ => CommandErrors.Failed,
        };
    }

    public static string ProgressLine(BankSplitStatus s) =>
        $"{s.Split}: {s.State.ToString().ToLowerInvariant()}, shards {s.ShardsDone}/{s.ShardsTotal}"
        + $" ({s.Shards.Count(x => x.State == "running")} running), features {s.Features}"
        + (s.FeaturesPerSecond > 0 ? $" ({s.FeaturesPerSecond:0.0}/s)" : "")
        + (s.Retries > 0 ? $", retries {s.Retries}" : "");

    public static string EndLine(string id, BankSplitStatus s) => s.State switch
    {
        BankState.Completed => $"bank {id} split {s.Split}: completed, {s.Features} features ({s.FeaturesPerSecond:0.0}/s), {s.Bank!.Bytes} bytes {s.Dtype}: {s.Bank.Uri}",
        _ => $"bank {id} split {s.Split}: {s.State.ToString().ToLowerInvariant()}{(s.Reason is { } reason ? $": {reason}" : "")}",
    };

    public static string Json(string id, BankSplitStatus s) => JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["id"] = id,
        ["split"] = s.Split,
        ["state"] = s.State.ToString().ToLowerInvariant(),
        ["reason"] = s.Reason,
        ["dtype"] = s.Dtype,
        ["shards_done"] = s.ShardsDone,
        ["shards_total"] = s.ShardsTotal,
        ["features"] = s.Features,
        ["features_per_second"] = Math.Round(s.FeaturesPerSecond, 3),
        ["retries"] = s.Retries,
        ["bank_key"] = s.Bank?.Key,
        ["bank_uri"] = s.Bank?.Uri,
        ["bank_bytes"] = s.Bank?.Bytes,
        ["bank_sha256"] = s.Bank?.Sha256,
        ["started"] = s.StartedAt,
        ["ended"] = s.EndedAt,
    });
}
