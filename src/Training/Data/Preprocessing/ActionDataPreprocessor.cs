using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Training.Data.Preprocessing;

/// <summary>
/// MMAction2's <c>ActionDataPreprocessor</c> on a collated batch [N, V, C, H, W] (NCHW) or [N, V, C, T, H, W]
/// (NCTHW): optional BGR↔RGB swap, then (x − mean) / std per channel, or just a cast to float32.
/// </summary>
public sealed class ActionDataPreprocessor
{
    private readonly float[]? mean;
    private readonly float[]? std;
    private readonly bool toRgb;
    private readonly long[] channelViewShape;

    public ActionDataPreprocessor(ActionDataPreprocessorConfig config)
    {
        if ((config.Mean is null) != (config.Std is null))
            throw new ArgumentException("data_preprocessor: normalisation needs both mean and std");
        if (config.Mean is not null && (config.Mean.Count != 3 || config.Std!.Count != 3))
            throw new ArgumentException("data_preprocessor: mean and std need 3 values");
        if (!config.ToFloat32)
            throw new ArgumentException("data_preprocessor.to_float32: false is not supported: the models take float32 inputs");
        channelViewShape = config.FormatShape switch
        {
            "NCHW" => [-1, 1, 1],
            "NCTHW" => [-1, 1, 1, 1],
            _ => throw new ArgumentException($"data_preprocessor.format_shape '{config.FormatShape}' is not one of NCHW, NCTHW"),
        };
        mean = config.Mean?.Select(value => (float)value).ToArray();
        std = config.Std?.Select(value => (float)value).ToArray();
        toRgb = config.ToRgb;
    }

    /// <summary>Identity normalisation (cast to float32 only).</summary>
    public static ActionDataPreprocessor CastOnly { get; } = new(new ActionDataPreprocessorConfig());

    /// <summary>Returns a new tensor; the input is left as it is.</summary>
    public Tensor Apply(Tensor batch)
    {
        using var scope = NewDisposeScope();
        int channelDim = (int)(batch.dim() - channelViewShape.Length);
        var result = toRgb ? batch.flip(channelDim) : batch.alias();
        if (mean is not null)
        {
            var meanView = tensor(mean).view(channelViewShape);
            var stdView = tensor(std!).view(channelViewShape);
            result = (result.to_type(ScalarType.Float32) - meanView) / stdView;
        }
        else
        {
            result = result.to_type(ScalarType.Float32);
        }
        return result.DetachFromDisposeScope();
    }
}
