namespace Cluster.Training.Optim;

/// <summary>MMEngine's <c>auto_scale_lr</c>: scale lr linearly with the real total batch size.</summary>
public sealed class AutoScaleLrConfig
{
    public bool Enable { get; init; }
    public int BaseBatchSize { get; init; }

    /// <summary>
    /// Multiplies every group's lr by (worldSize × batchPerWorker) / base_batch_size, as MMEngine's
    /// <c>Runner.scale_lr</c>; must run before the schedulers are built (they record the scaled lr as initial lr).
    /// </summary>
    /// <returns>The factor applied (1 when disabled).</returns>
    public double Apply(OptimWrapper optimWrapper, int worldSize, int batchPerWorker)
    {
        if (!Enable)
        {
            return 1.0;
        }
        if (BaseBatchSize <= 0)
        {
            throw new ArgumentException($"auto_scale_lr.base_batch_size must be positive, got {BaseBatchSize}");
        }
        double ratio = (double)worldSize * batchPerWorker / BaseBatchSize;
        optimWrapper.ScaleLr(ratio);
        return ratio;
    }
}
