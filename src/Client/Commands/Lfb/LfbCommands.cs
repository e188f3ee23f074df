using System.CommandLine;
using System.Text.Json;
using Cluster.Abstractions.Lfb;
using Cluster.Training.Lfb;

namespace Cluster.Client.Commands.Lfb;

/// <summary>`cluster lfb compute | info | status | list | cancel`: long-term feature banks computed on the cluster.</summary>
internal static class LfbCommands
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var lfb = new Command("lfb", "Long-term feature banks: compute one per split on the cluster, inspect bank files");
        foreach (var command in new[] { Compute(output, error), Info(output, error), Status(output, error), List(output, error), Cancel(output, error) })
            lfb.Subcommands.Add(command);
        return lfb;
    }

    private static Argument<string> BankId() => new("id") { Description = "Bank id (as lfb compute printed it, or from cluster lfb list)" };

    private static Command Compute(TextWriter output, TextWriter error)
    {
        var config = new Argument<string>("config") { Description = "Detection config: its model (weights from load_from) and the split's dataset" };
        var split = new Option<string>("--split") { Description = "train or val", Required = true };
        var dtype = new Option<string>("--dtype") { Description = "float32 (default) or float16 (half the bytes)", DefaultValueFactory = _ => "float32" };
        var shards = new Option<int?>("--shards") { Description = "Dataset shards the split's videos are cut into (default: about 4 videos each)" };
        var workers = new Option<int?>("--workers") { Description = "The most worker slots computing at once (default: every free one)" };
        var bank = new Option<string?>("--bank") { Description = "Bank id (default: the config's name and a hash of the merged config)" };
        var detach = new Option<bool>("--detach") { Description = "Print the bank id and return at once" };
        var set = CommonOptions.Set();
        var json = CommonOptions.Json();
        var device = CommonOptions.Device();
        var gateway = ClusterOptions.Gateway();
        var compute = new Command("compute", "Compute a split's feature bank on the cluster's worker slots and follow it live " +
                                             "(exit 0 Completed, 1 Failed, 130 Cancelled); the bank is stored as banks/<id>/lfb_<split>.bank")
        {
            config, split, dtype, shards, workers, bank, set, detach, json, device, gateway,
        };
        compute.SetAction(parse => CommandErrors.Run(error, async () =>
        {
            var prepared = BankPreparation.Prepare(parse.GetValue(config)!, parse.GetValue(split)!, parse.GetValue(dtype)!,
                parse.GetValue(shards), parse.GetValue(bank), parse.GetValue(set) ?? [], parse.GetValue(device), Directory.GetCurrentDirectory(),
                parse.GetValue(workers));
            using var cancellation = new CtrlC();
            await using var connection = await ClusterOptions.Connect(parse, gateway, cancellation.Token);
            return await BankRun.Compute(connection, prepared, parse.GetValue(detach), parse.GetValue(json), output, error, cancellation.Token);
        }, parse.GetValue(json) ? output : null));
        return compute;
    }

    private static Command Info(TextWriter output, TextWriter error)
    {
        var file = new Argument<string>("bank") { Description = "A bank file path, or its blob or file URI (as lfb compute printed it)" };
        var json = CommonOptions.Json();
        var info = new Command("info", "Show a bank file's videos, seconds, persons, channels, dtype and bytes") { file, json };
        info.SetAction(parse => CommandErrors.Run(error, () =>
        {
            string reference = parse.GetValue(file)!;
            string path = reference.StartsWith("file://", StringComparison.OrdinalIgnoreCase)
                ? new Uri(reference).LocalPath // a local artifact store's URI (the embedded silo's)
                : CheckpointReference.Resolve(reference, "bank");
            if (!File.Exists(path)) throw new FileNotFoundException($"bank file '{path}' does not exist", path);
            var bank = FeatureBankFile.ReadInfo(path);
            if (parse.GetValue(json))
                output.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object?>
                {
                    ["bank"] = reference, ["videos"] = bank.Videos, ["seconds"] = bank.Seconds, ["persons"] = bank.Persons,
                    ["channels"] = bank.Channels, ["dtype"] = bank.Dtype.Name(), ["bytes"] = bank.Bytes,
                }));
            else
            {
                output.WriteLine(reference);
                output.WriteLine($"videos    {bank.Videos}");
                output.WriteLine($"seconds   {bank.Seconds}");
                output.WriteLine($"persons   {bank.Persons}");
                output.WriteLine($"channels  {bank.Channels}");
                output.WriteLine($"dtype     {bank.Dtype.Name()}");
                output.WriteLine($"bytes     {bank.Bytes}");
            }
            return 0;
        }, parse.GetValue(json) ? output : null));
        return info;
    }

    private static Command Status(TextWriter output, TextWriter error)
    {
        var id = BankId();
        var gateway = ClusterOptions.Gateway();
        var json = CommonOptions.Json();
        var status = new Command("status", "Show a bank's splits: state, shards done, features, features/s, the stored bank") { id, gateway, json };
        status.SetClusterAction(gateway, error, async (parse, connection, cancellation) =>
        {
            var bankId = parse.GetValue(id)!;
            var current = await connection.Client.GetGrain<IFeatureBankGrain>(bankId).GetStatus();
            if (parse.GetValue(json))
                output.WriteLine("[" + string.Join(",", current.Splits.Select(s => BankRun.Json(bankId, s))) + "]");
            else
                foreach (var split in current.Splits)
                    output.WriteLine(split.State.IsTerminal() ? BankRun.EndLine(bankId, split) : $"bank {bankId} {BankRun.ProgressLine(split)}");
            return 0;
        }, json, output);
        return status;
    }

    private static Command List(TextWriter output, TextWriter error)
    {
        var gateway = ClusterOptions.Gateway();
        var json = CommonOptions.Json();
        var list = new Command("list", "List the cluster's feature banks, one line per split") { gateway, json };
        list.SetClusterAction(gateway, error, async (parse, connection, cancellation) =>
        {
            var banks = await connection.Client.GetGrain<IFeatureBankIndexGrain>(0).List();
            if (parse.GetValue(json))
            {
                output.WriteLine(JsonSerializer.Serialize(banks.Select(b => new Dictionary<string, object?>
                {
                    ["id"] = b.Id, ["config"] = b.ConfigName, ["split"] = b.Split, ["state"] = b.State.ToString().ToLowerInvariant(),
                    ["shards_done"] = b.ShardsDone, ["shards_total"] = b.ShardsTotal, ["features"] = b.Features, ["dtype"] = b.Dtype,
                    ["created"] = b.CreatedAt, ["ended"] = b.EndedAt, ["bank_uri"] = b.BankUri,
                })));
                return 0;
            }
            if (banks.Count == 0) output.WriteLine("no feature banks");
            foreach (var b in banks)
                output.WriteLine($"{b.Id}  {b.Split,-5}  {b.State.ToString().ToLowerInvariant(),-9}  shards {b.ShardsDone}/{b.ShardsTotal}  " +
                                 $"features {b.Features}  {b.Dtype}  {b.CreatedAt:yyyy-MM-dd HH:mm:ss}{(b.BankUri is { } uri ? "  " + uri : "")}");
            return 0;
        }, json, output);
        return list;
    }

    private static Command Cancel(TextWriter output, TextWriter error)
    {
        var id = BankId();
        var gateway = ClusterOptions.Gateway();
        var reason = new Option<string>("--reason") { Description = "Why (shown in status)", DefaultValueFactory = _ => "cancelled by the user" };
        var cancel = new Command("cancel", "Cancel a bank's unfinished splits; finished shards stay stored (computing again resumes)") { id, reason, gateway };
        cancel.SetClusterAction(gateway, error, async (parse, connection, cancellation) =>
        {
            var bankId = parse.GetValue(id)!;
            var after = await connection.Client.GetGrain<IFeatureBankGrain>(bankId).Cancel(parse.GetValue(reason)!);
            foreach (var split in after.Splits) output.WriteLine(BankRun.EndLine(bankId, split));
            return 0;
        });
        return cancel;
    }
}
