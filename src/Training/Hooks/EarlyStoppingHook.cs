namespace Cluster.Training.Hooks;

/// <summary>
/// MMEngine's EarlyStoppingHook (≥ 0.7): after each validation, stop when the monitored metric is not finite
/// (check_finite), reaches stopping_threshold, or has not beaten the best score by min_delta for patience validations.
/// The wait count and best score live in the runtime info, so they survive a resume.
/// </summary>
public sealed class EarlyStoppingHook : ITrainingHook
{
    private const string WaitCountKey = "early_stopping_wait_count";
    private const string BestScoreKey = "early_stopping_best_score";

    private readonly EarlyStoppingHookConfig config;
    private readonly MetricRule rule;
    private readonly double minDelta;

    public EarlyStoppingHook(EarlyStoppingHookConfig config)
    {
        this.config = config;
        rule = MetricRules.Resolve(config.Rule, config.Monitor, "EarlyStoppingHook");
        minDelta = rule == MetricRule.Greater ? config.MinDelta : -config.MinDelta;
    }

    public void AfterValEpoch(TrainingContext context, IReadOnlyDictionary<string, double> metrics)
    {
        if (!metrics.TryGetValue(config.Monitor, out double score))
        {
            string message = $"EarlyStoppingHook: monitor '{config.Monitor}' is not among the validation metrics " +
                $"({string.Join(", ", metrics.Keys)})";
            if (config.Strict)
            {
                throw new InvalidOperationException(message);
            }
            context.Emit(new Engine.TrainingMessage(message + "; early stopping skipped"));
            return;
        }
        long waitCount = context.RuntimeInfo.GetValueOrDefault(WaitCountKey) as long? ?? 0;
        double best = context.RuntimeInfo.GetValueOrDefault(BestScoreKey) as double? ?? rule.Worst();
        string? stopReason = null;
        if (config.CheckFinite && !double.IsFinite(score))
        {
            stopReason = $"Monitored metric {config.Monitor} = {score} is infinite. Previous best value was {best:F3}.";
        }
        else if (config.StoppingThreshold is { } threshold && rule.IsBetter(score, threshold))
        {
            best = score;
            stopReason = $"Stopping threshold reached: `{config.Monitor}` = {score} is {RuleName} than {threshold}.";
        }
        else if (rule.IsBetter(best + minDelta, score))
        {
            waitCount++;
            if (waitCount >= config.Patience)
            {
                stopReason = $"the monitored metric did not improve in the last {waitCount} records. best score: {best:F3}. ";
            }
        }
        else
        {
            best = score;
            waitCount = 0;
        }
        context.RuntimeInfo[WaitCountKey] = waitCount;
        context.RuntimeInfo[BestScoreKey] = best;
        if (stopReason is not null)
        {
            context.RequestStop(stopReason);
        }
    }

    private string RuleName => rule == MetricRule.Greater ? "greater" : "less";
}
