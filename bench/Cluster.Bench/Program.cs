using System.Diagnostics;
using Cluster.Bench;

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException error)
{
    Console.Error.WriteLine(error.Message);
    return 2;
}

if (options.Runs("storage") || options.Runs("allreduce") || options.Runs("dataparallel") || options.Runs("lfb"))
{
    try
    {
        Cluster.Tests.Infrastructure.AzuriteProcess.Executable();
    }
    catch (InvalidOperationException missing)
    {
        // Before anything runs, not after the engine benchmarks.
        Console.Error.WriteLine(missing.Message);
        return 2;
    }
}
if (options.TorchThreads is { } threads)
    TorchSharp.torch.set_num_threads(threads);
var clock = Stopwatch.StartNew();
var environment = BenchEnvironment.Describe(options.Quick);
BenchReport.PrintEnvironment(Console.Out, environment);
string workDir = Directory.CreateTempSubdirectory("cluster-bench-").FullName;
var rows = new List<BenchRow>();
try
{
    if (options.Runs("engine"))
    {
        foreach (var settings in options.EngineSteps)
        {
            Console.WriteLine($"running {EngineStepBenchmark.Name} (base {settings.BaseChannels}) ... {clock.Elapsed:mm\\:ss}");
            rows.Add(EngineStepBenchmark.Run(settings, workDir));
        }
    }
    if (options.Runs("loader"))
    {
        Console.WriteLine($"running {LoaderThroughputBenchmark.Name} ... {clock.Elapsed:mm\\:ss}");
        rows.AddRange(LoaderThroughputBenchmark.Run(options.Loader, workDir));
    }
    if (options.Runs("storage"))
    {
        Console.WriteLine($"running {StorageThroughputBenchmark.Name} ... {clock.Elapsed:mm\\:ss}");
        rows.AddRange(StorageThroughputBenchmark.Run(options.Storage, workDir));
    }
    if (options.Runs("grains"))
    {
        Console.WriteLine($"running {GrainOverheadBenchmark.Name} ... {clock.Elapsed:mm\\:ss}");
        rows.AddRange(GrainOverheadBenchmark.Run(options.Grains, workDir));
    }
    if (options.Runs("allreduce"))
    {
        Console.WriteLine($"running {AllReduceBenchmark.Name} ... {clock.Elapsed:mm\\:ss}");
        rows.AddRange(AllReduceBenchmark.Run(options.AllReduce));
    }
    if (options.Runs("dataparallel"))
    {
        Console.WriteLine($"running {DataParallelStepBenchmark.Name} ... {clock.Elapsed:mm\\:ss}");
        rows.AddRange(DataParallelStepBenchmark.Run(options.DataParallel, workDir));
    }
    if (options.Runs("lfb"))
    {
        Console.WriteLine($"running {FeatureBankBenchmark.Name} ... {clock.Elapsed:mm\\:ss}");
        rows.AddRange(FeatureBankBenchmark.Run(options.FeatureBank, workDir));
    }
    if (options.Only == "lfbcompare")
    {
        Console.WriteLine($"running {LfbComparisonBenchmark.Name} ... {clock.Elapsed:mm\\:ss}");
        rows.AddRange(LfbComparisonBenchmark.Run(options.LfbCompare, workDir));
    }
    if (options.Runs("sweeps"))
    {
        Console.WriteLine($"running {SweepSchedulingBenchmark.Name} ... {clock.Elapsed:mm\\:ss}");
        rows.AddRange(SweepSchedulingBenchmark.Run(options.Sweeps, workDir));
    }
}
finally
{
    Directory.Delete(workDir, recursive: true);
}

environment["load average at end"] = BenchEnvironment.LoadAverage();
Console.WriteLine();
BenchReport.Print(Console.Out, rows);
BenchReport.WriteJson(options.OutPath, rows, environment);
Console.WriteLine();
Console.WriteLine($"took {clock.Elapsed:mm\\:ss}; load average at end: {environment["load average at end"]}; " +
    $"JSON: {Path.GetFullPath(options.OutPath)}");
return rows.All(row => row.MeetsGoal != false) ? 0 : 1;
