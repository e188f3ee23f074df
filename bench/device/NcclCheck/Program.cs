using Cluster.Training.Distributed.Nccl;

// usage: NcclCheck [--ranks N]: N GPUs, one NCCL rank each (default 1). Exit 0 all passed, 1 a check failed, 2 bad usage.
int ranks = 1;
if (args is ["--ranks", var count] && int.TryParse(count, out var parsed) && parsed > 0) ranks = parsed;
else if (args.Length > 0)
{
    Console.Error.WriteLine($"unknown arguments '{string.Join(' ', args)}'; usage: NcclCheck [--ranks N]");
    return 2;
}
try
{
    return NcclSelfCheck.Run(ranks, Console.Out) ? 0 : 1;
}
catch (Exception error)
{
    Console.WriteLine($"FAIL {error.GetType().Name}: {error.Message}");
    return 1;
}
