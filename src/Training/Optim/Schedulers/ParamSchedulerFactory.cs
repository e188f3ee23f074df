using static TorchSharp.torch;

namespace Cluster.Training.Optim.Schedulers;

/// <summary>
/// Builds <c>param_scheduler</c> entries as MMEngine's runner does: a missing <c>end</c> becomes max_epochs
/// (by_epoch) or max_iters, then <c>convert_to_iter_based</c> multiplies the epoch-valued settings by the iterations
/// per epoch, and each scheduler is started (its first step) in list order.
/// </summary>
public static class ParamSchedulerFactory
{
    public static ParamSchedulerSet Create(IEnumerable<ParamSchedulerConfig> configs,
        IReadOnlyList<optim.ILearningRateController> groups, int maxEpochs, int itersPerEpoch)
    {
        var schedulers = new List<ParamScheduler>();
        int index = 0;
        foreach (var config in configs)
        {
            var scheduler = Create(config, groups, maxEpochs, itersPerEpoch, $"param_scheduler[{index++}]");
            scheduler.Start();
            schedulers.Add(scheduler);
        }
        return new ParamSchedulerSet(schedulers);
    }

    private static ParamScheduler Create(ParamSchedulerConfig config, IReadOnlyList<optim.ILearningRateController> groups,
        int maxEpochs, int itersPerEpoch, string path)
    {
        int end = config.End ?? (config.ByEpoch ? maxEpochs : maxEpochs * itersPerEpoch);
        int scale = 1;
        if (config.ConvertToIterBased)
        {
            if (!config.ByEpoch)
            {
                throw new ArgumentException($"{path}: convert_to_iter_based needs by_epoch: true");
            }
            scale = itersPerEpoch;
        }
        int begin = config.Begin * scale;
        end *= scale;
        bool byEpoch = config.ByEpoch && !config.ConvertToIterBased;
        try
        {
            return config switch
            {
                LinearLRConfig c => new LinearLR(groups, c.StartFactor, c.EndFactor, begin, end, byEpoch),
                MultiStepLRConfig c => new MultiStepLR(groups, c.Milestones.Select(m => m * scale).ToList(), c.Gamma,
                    begin, end, byEpoch),
                StepLRConfig c => new StepLR(groups, c.StepSize * scale, c.Gamma, begin, end, byEpoch),
                CosineAnnealingLRConfig c => Cosine(c, groups, scale, begin, end, byEpoch),
                ConstantLRConfig c => new ConstantLR(groups, c.Factor, begin, end, byEpoch),
                ExponentialLRConfig c => new ExponentialLR(groups, c.Gamma, begin, end, byEpoch),
                _ => throw new ArgumentException($"type {config.GetType().Name} is not supported"),
            };
        }
        catch (ArgumentException error)
        {
            throw new ArgumentException($"{path}: {error.Message}", error);
        }
    }

    private static CosineAnnealingLR Cosine(CosineAnnealingLRConfig config,
        IReadOnlyList<optim.ILearningRateController> groups, int scale, int begin, int end, bool byEpoch)
    {
        if (config.EtaMin is not null && config.EtaMinRatio is not null)
        {
            throw new ArgumentException("CosineAnnealingLR: give either eta_min or eta_min_ratio, not both");
        }
        int tMax = config.TMax is { } t ? t * scale : end - begin;
        return new CosineAnnealingLR(groups, tMax, config.EtaMin, config.EtaMinRatio, begin, end, byEpoch);
    }
}
