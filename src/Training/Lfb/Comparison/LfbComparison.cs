using System.Diagnostics;
using System.Globalization;
using Cluster.Training.BankJobs;
using Cluster.Training.Configs;
using Cluster.Training.Engine;
using Cluster.Training.Experiments;

namespace Cluster.Training.Lfb.Comparison;

/// <summary>
/// MMAction2's long-term feature bank recipe end to end, in this process, and the seeds' comparison table: train the
/// detector without a bank (<see cref="LfbComparisonConfigs.Baseline"/>), compute the train and val banks with its
/// trained weights (<see cref="LfbComparisonConfigs.Infer"/>, <c>load_from</c> set to the baseline's last checkpoint),
/// then train each bank model (avg, max, non-local) reading those banks, and report every model's val frame mAP.
/// On a cluster the banks come from <c>cluster lfb compute</c> instead; the models and metrics are the same.
/// </summary>
public sealed class LfbComparison
{
    /// <summary>The validation metric compared (AVAMetric's frame mAP at IoU 0.5).</summary>
    public const string MapKey = "mAP@0.5IOU";

    private readonly LfbComparisonConfigs configs;
    private readonly IReadOnlyList<string> overrides;
    private readonly string workDir;

    /// <param name="overrides"><c>--set</c>-style overrides applied to every config (data location, seed, epochs).</param>
    /// <param name="workDir">Gets one folder per model and <c>banks/</c>.</param>
    public LfbComparison(LfbComparisonConfigs configs, IReadOnlyList<string> overrides, string workDir)
    {
        this.configs = configs;
        this.overrides = overrides;
        this.workDir = workDir;
    }

    public LfbComparisonResult Run(IProgress<string>? log = null, CancellationToken cancellation = default)
    {
        var rows = new List<LfbComparisonRow>();
        var baseline = Train(LfbComparisonConfigs.BaselineName, configs.Baseline, [], log, cancellation);
        rows.Add(baseline.Row);

        var banks = Directory.CreateDirectory(Path.Combine(workDir, "banks")).FullName;
        var bankTimer = Measure.Start();
        long features = 0;
        foreach (var split in new[] { "train", "val" })
        {
            cancellation.ThrowIfCancellationRequested();
            // What one cluster worker does for one shard of `cluster lfb compute`, here for every video of the split.
            var input = BankInput.From(ConfigLoader.Load(configs.Infer, [.. overrides, $"load_from={baseline.Checkpoint}"]), split);
            var bank = BankShardJob.Prepare(input, BankShardJob.SplitVideos(input), "cpu", artifacts: null).Run(cancellation: cancellation);
            FeatureBankFile.Save(bank, FeatureBankCache.SplitReference(banks, split), FeatureBankDtype.Float32);
            features += bank.PersonCount;
            log?.Report($"[banks] {split}: {bank.VideoCount} videos, {bank.SecondCount} seconds, {bank.PersonCount} features of {bank.Channels} channels");
        }
        var (bankWall, bankCpu) = bankTimer.Elapsed();

        foreach (var (name, config) in configs.BankModels)
        {
            cancellation.ThrowIfCancellationRequested();
            rows.Add(Train(name, config, [$"model.roi_head.shared_head.lfb_cfg.lfb_prefix_path={banks}"], log, cancellation).Row);
        }
        return new LfbComparisonResult(rows, features, bankWall, bankCpu);
    }

    private (LfbComparisonRow Row, string Checkpoint) Train(
        string name, string config, IReadOnlyList<string> extra, IProgress<string>? log, CancellationToken cancellation)
    {
        var timer = Measure.Start();
        var document = ConfigLoader.Load(config, [.. overrides, .. extra]);
        var job = TrainingJob.Prepare(document, Path.Combine(workDir, name), "cpu");
        var result = job.Run(new SyncProgress(e =>
        {
            switch (e)
            {
                case EpochCompleted epoch:
                    log?.Report(string.Create(CultureInfo.InvariantCulture,
                        $"[{name}] epoch {epoch.Epoch}/{epoch.MaxEpochs}: mean loss {epoch.MeanLoss:0.0000} in {epoch.Duration.TotalSeconds:0.0} s"));
                    break;
                case ValidationCompleted validation when validation.Metrics.TryGetValue(MapKey, out var value):
                    log?.Report(string.Create(CultureInfo.InvariantCulture, $"[{name}] val {MapKey} {value:0.0000}"));
                    break;
            }
        }), cancellation);
        if (result.Status != TrainingStatus.Completed)
            throw new InvalidOperationException($"{name} ({config}) ended {result.Status}: {result.StopReason}");
        if (!result.Metrics.TryGetValue(MapKey, out var map))
            throw new InvalidOperationException($"{name} ({config}) reported no {MapKey}: its val_evaluator must be an AVAMetric evaluated at the last epoch");
        var (wall, cpu) = timer.Elapsed();
        var checkpoint = job.WorkDir.LastCheckpoint() ?? throw new InvalidOperationException($"{name} ({config}) wrote no checkpoint");
        return (new LfbComparisonRow(name, map, result.Metrics, wall, cpu), checkpoint);
    }

    /// <summary>Wall time and this process's CPU time (what the run would take on idle cores, roughly).</summary>
    private readonly record struct Measure(long StartedAt, TimeSpan Cpu)
    {
        public static Measure Start() => new(Stopwatch.GetTimestamp(), Process.GetCurrentProcess().TotalProcessorTime);

        public (TimeSpan Wall, TimeSpan Cpu) Elapsed() =>
            (Stopwatch.GetElapsedTime(StartedAt), Process.GetCurrentProcess().TotalProcessorTime - Cpu);
    }
}
