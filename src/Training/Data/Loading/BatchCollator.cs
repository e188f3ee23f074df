using Cluster.Training.Data.Datasets;
using Cluster.Training.Data.Preprocessing;
using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Training.Data.Loading;

/// <summary>Stacks packed samples into a <see cref="Batch"/> and applies the data preprocessor.</summary>
internal sealed class BatchCollator(ActionDataPreprocessor preprocessor, bool multiLabel, int numClasses)
{
    public Batch Collate(IReadOnlyList<PackedSample> samples)
    {
        // Outside the scope below, which would dispose the RoI tensors.
        var detection = RoiCollation.Collate(samples);
        using var scope = NewDisposeScope();
        var firstShape = samples[0].Inputs.shape;
        var mismatch = samples.FirstOrDefault(sample => !sample.Inputs.shape.SequenceEqual(firstShape));
        if (mismatch is not null)
            throw new InvalidOperationException(
                $"sample {mismatch.DatasetIndex} has inputs [{string.Join(", ", mismatch.Inputs.shape)}], " +
                $"sample {samples[0].DatasetIndex} has [{string.Join(", ", firstShape)}]: the pipeline must give equal shapes");
        var stacked = stack(samples.Select(sample => sample.Inputs).ToArray());
        var inputs = preprocessor.Apply(stacked);
        var labels = detection is not null ? empty(0) : multiLabel ? MultiHot(samples) : SingleLabels(samples);
        return new Batch(
            inputs.DetachFromDisposeScope(),
            labels.DetachFromDisposeScope(),
            samples.Select(sample => sample.DatasetIndex).ToArray())
        {
            Detection = detection,
        };
    }

    private static Tensor SingleLabels(IReadOnlyList<PackedSample> samples) =>
        tensor(samples.Select(sample => (long)sample.Labels[0]).ToArray());

    private Tensor MultiHot(IReadOnlyList<PackedSample> samples)
    {
        var hot = new float[samples.Count * numClasses];
        for (int row = 0; row < samples.Count; row++)
            foreach (int label in samples[row].Labels.Where(label => label >= 0))
                hot[row * numClasses + label] = 1f;
        return tensor(hot, [samples.Count, numClasses]);
    }
}
