using Cluster.Training.Engine;
using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Training.Distributed;

/// <summary>The autograd node of <see cref="SyncBatchNorm.Apply"/>: arguments (input, weight, bias, settings).</summary>
internal sealed class SyncBatchNormFunction : autograd.SingleTensorFunction<SyncBatchNormFunction>
{
    public override string Name => nameof(SyncBatchNormFunction);

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var input = (Tensor)vars[0];
        var weight = vars[1] as Tensor;
        var bias = vars[2] as Tensor;
        var settings = (SyncBatchNorm.Settings)vars[3];
        var group = settings.Group;
        long channels = input.shape[1];
        var dims = ReduceDims(input);
        var shape = BroadcastShape(input);
        long count = input.numel() / Math.Max(channels, 1);

        using var held = new HeldScalars();
        // Row `rank` = [count, mean (C), centred sum of squares (C)]; the sum over ranks fills every row everywhere.
        var statsType = input.dtype == ScalarType.Float64 ? ScalarType.Float64 : ScalarType.Float32;
        var x = input.to(statsType);
        var localMean = count > 0 ? x.mean(dims) : zeros(channels, statsType, input.device);
        var localM2 = count > 0 ? (x - localMean.view(shape)).square().sum(dims) : zeros(channels, statsType, input.device);
        var table = zeros([group.WorldSize, 2 * channels + 1], statsType, input.device);
        table[group.Rank].copy_(cat([full(1, held.Of(count), statsType, input.device), localMean, localM2]));
        group.AllReduceSum([table]);

        var counts = table.narrow(1, 0, 1);
        var means = table.narrow(1, 1, channels);
        var m2s = table.narrow(1, 1 + channels, channels);
        double total = counts.sum().ToDouble();
        if (total <= 1)
            throw new ArgumentException($"SyncBatchNorm needs more than one value per channel over all ranks, got {total}");
        var totalScalar = held.Of(total);
        var mean = (counts * means).sum(dim: 0) / totalScalar;
        var m2 = (m2s + counts * (means - mean).square()).sum(dim: 0);
        var invstd = (m2 / totalScalar + held.Of(settings.Eps)).rsqrt();

        var (keep, momentum) = (held.Of(1 - settings.Momentum), held.Of(settings.Momentum));
        if (settings.RunningMean is { } runningMean)
            runningMean.mul_(keep).add_(mean.to(runningMean.dtype), alpha: momentum);
        if (settings.RunningVar is { } runningVar)
            runningVar.mul_(keep).add_((m2 / held.Of(total - 1)).to(runningVar.dtype), alpha: momentum);

        var output = (x - mean.view(shape)) * invstd.view(shape);
        if (weight is not null) output = output * weight.to(statsType).view(shape);
        if (bias is not null) output = output + bias.to(statsType).view(shape);

        ctx.save_for_backward([input, weight!, mean, invstd]);
        ctx.save_data("group", group);
        ctx.save_data("total", total);
        ctx.save_data("input needs grad", input.requires_grad);
        ctx.save_data("has bias", bias is not null);
        return output.to(input.dtype);
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
    {
        var saved = ctx.get_saved_variables();
        var (input, weight, mean, invstd) = (saved[0], saved[1], saved[2], saved[3]);
        var group = (IProcessGroup)ctx.get_data("group");
        double total = (double)ctx.get_data("total");
        bool inputNeedsGrad = (bool)ctx.get_data("input needs grad");
        bool hasBias = (bool)ctx.get_data("has bias");
        bool hasWeight = weight is not null;

        var dims = ReduceDims(input);
        var shape = BroadcastShape(input);
        var x = input.to(mean.dtype);
        var dy = gradOutput.to(mean.dtype);
        var centred = x - mean.view(shape);
        var sumDy = dy.sum(dims);
        var sumDyCentred = (dy * centred).sum(dims);

        using var held = new HeldScalars();
        Tensor? gradInput = null;
        if (inputNeedsGrad)
        {
            var both = cat([sumDy, sumDyCentred]);
            try
            {
                group.AllReduceSum([both]);
                long channels = mean.shape[0];
                var totalScalar = held.Of(total);
                var meanDy = both.narrow(0, 0, channels) / totalScalar;
                var meanDyCentred = both.narrow(0, channels, channels) / totalScalar;
                var scale = hasWeight ? invstd * weight!.to(mean.dtype) : invstd;
                gradInput = ((dy - meanDy.view(shape) - centred * (invstd.square() * meanDyCentred).view(shape)) * scale.view(shape))
                    .to(input.dtype);
            }
            catch (Exception fault)
            {
                SyncBatchNorm.RecordBackwardFault(group, fault);
                gradInput = full_like(input, held.Of(double.NaN));
            }
        }
        var gradWeight = hasWeight ? (sumDyCentred * invstd).to(weight!.dtype) : null;
        var gradBias = hasBias ? sumDy.to(gradOutput.dtype) : null;
        return [gradInput!, gradWeight!, gradBias!, null!];
    }

    private static long[] ReduceDims(Tensor input) => [0, .. Enumerable.Range(2, (int)input.ndim - 2).Select(d => (long)d)];

    private static long[] BroadcastShape(Tensor input) => [1, input.shape[1], .. Enumerable.Repeat(1L, (int)input.ndim - 2)];
}
