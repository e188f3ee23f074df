namespace Cluster.Training.Hooks;

/// <summary>
/// MMEngine's CheckpointHook: <c>epoch_{n}.pth</c> every <c>interval</c> epochs (or <c>iter_{n}.pth</c> with
/// by_epoch false) and at the last one when save_last; the oldest beyond max_keep_ckpts deleted; with save_best, a
/// weights-only <c>best_{key}_epoch_{n}.pth</c> ('/' in the key → '_') whenever the monitored metric strictly improves,
/// the previous best deleted. best_score, best_ckpt, keep_ckpt_ids and last_ckpt live in the runtime info, so they
/// survive a resume.
/// </summary>
public sealed class CheckpointHook(CheckpointHookConfig config) : ITrainingHook
{
    /// <summary>Runtime-info key of the best monitored score (MMEngine's message hub name).</summary>
    public const string BestScoreKey = "best_score";
    /// <summary>Runtime-info key of the best checkpoint's path.</summary>
    public const string BestCheckpointKey = "best_ckpt";
    private const string KeptIdsKey = "keep_ckpt_ids";
    private const string LastCheckpointKey = "last_ckpt";

    private string outDir = "";
    private MetricRule? rule;
    private string? bestKey;

    public void BeforeRun(TrainingContext context)
    {
        outDir = config.OutDir ?? context.WorkDir;
        if (config.SaveBest is { } key && key != "auto")
        {
            bestKey = key;
            rule = MetricRules.Resolve(config.Rule, key, "checkpoint");
        }
    }

    public void AfterTrainIter(TrainingContext context)
    {
        if (!config.ByEpoch && (IsDue(context.CompletedIters) || (config.SaveLast && context.IsLastTrainIter)))
        {
            SaveWithStep(context, context.CompletedIters);
        }
    }

    public void AfterTrainEpoch(TrainingContext context)
    {
        if (config.ByEpoch && (IsDue(context.CompletedEpochs) || (config.SaveLast && context.IsLastTrainEpoch)))
        {
            SaveWithStep(context, context.CompletedEpochs);
        }
    }

    public void AfterValEpoch(TrainingContext context, IReadOnlyDictionary<string, double> metrics)
    {
        if (config.SaveBest is null || metrics.Count == 0)
        {
            return;
        }
        if (bestKey is null)
        {
            bestKey = metrics.Keys.First();
            rule = MetricRules.Resolve(config.Rule, bestKey, "checkpoint");
        }
        if (!metrics.TryGetValue(bestKey, out double score))
        {
            throw new ArgumentException(
                $"checkpoint.save_best: metric '{bestKey}' is not among the validation metrics ({string.Join(", ", metrics.Keys)})");
        }
        double best = context.RuntimeInfo.GetValueOrDefault(BestScoreKey) as double? ?? rule!.Value.Worst();
        if (!rule!.Value.IsBetter(score, best))
        {
            return;
        }
        context.RuntimeInfo[BestScoreKey] = score;
        if (context.RuntimeInfo.GetValueOrDefault(BestCheckpointKey) is string previous)
        {
            context.DeleteCheckpoint(previous);
        }
        string step = config.ByEpoch ? $"epoch_{context.CompletedEpochs}" : $"iter_{context.CompletedIters}";
        string path = Path.Combine(outDir, $"best_{bestKey}_{step}.pth".Replace('/', '_'));
        context.RuntimeInfo[BestCheckpointKey] = path;
        context.SaveCheckpoint(path, best: true);
    }

    private bool IsDue(long completed)
    {
        long sinceBegin = completed - config.SaveBegin;
        return config.Interval > 0 && sinceBegin >= 0 && sinceBegin % config.Interval == 0;
    }

    private void SaveWithStep(TrainingContext context, long step)
    {
        if (config.MaxKeepCkpts > 0)
        {
            var kept = (context.RuntimeInfo.GetValueOrDefault(KeptIdsKey) as List<object?> ?? [])
                .Select(id => (long)id!).ToList();
            if (kept.Count == 0 || kept[^1] != step)
            {
                if (kept.Count == config.MaxKeepCkpts)
                {
                    context.DeleteCheckpoint(StepPath(kept[0]));
                    kept.RemoveAt(0);
                }
                kept.Add(step);
                context.RuntimeInfo[KeptIdsKey] = kept.Select(id => (object?)id).ToList();
            }
        }
        string path = StepPath(step);
        context.RuntimeInfo[LastCheckpointKey] = path;
        context.SaveCheckpoint(path);
    }

    private string StepPath(long step) => Path.Combine(outDir, config.ByEpoch ? $"epoch_{step}.pth" : $"iter_{step}.pth");
}
