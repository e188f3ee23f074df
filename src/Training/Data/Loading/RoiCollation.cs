using Cluster.Training.Data.Datasets;
using Cluster.Training.Data.Detection;
using static TorchSharp.torch;

namespace Cluster.Training.Data.Loading;

/// <summary>Joins the RoIs of a batch's samples into one <see cref="DetectionTargets"/>, each RoI tagged with the
/// batch row of its sample (MMDetection's bbox2roi layout).</summary>
internal static class RoiCollation
{
    /// <returns>Null when the samples carry no RoIs (recognition).</returns>
    public static DetectionTargets? Collate(IReadOnlyList<PackedSample> samples)
    {
        var withRois = samples.Count(sample => sample.Rois is not null);
        if (withRois == 0)
            return null;
        if (withRois != samples.Count)
            throw new InvalidOperationException("a batch mixes samples with and without RoIs");
        int numClasses = samples[0].Rois!.NumClasses;
        var mismatch = samples.FirstOrDefault(sample => sample.Rois!.NumClasses != numClasses);
        if (mismatch is not null)
            throw new InvalidOperationException(
                $"sample {mismatch.DatasetIndex} has {mismatch.Rois!.NumClasses} classes, sample {samples[0].DatasetIndex} {numClasses}");

        int count = samples.Sum(sample => sample.Rois!.Count);
        var rois = new float[count * 5];
        var labels = new float[count * numClasses];
        var info = new List<RoiInfo>(count);
        int at = 0;
        for (int row = 0; row < samples.Count; row++)
        {
            var packed = samples[row].Rois!;
            for (int i = 0; i < packed.Count; i++, at++)
            {
                rois[at * 5] = row;
                Array.Copy(packed.Boxes, i * 4, rois, at * 5 + 1, 4);
                info.Add(packed.Info[i] with { BatchRow = row });
            }
            Array.Copy(packed.Labels, 0, labels, (at - packed.Count) * numClasses, packed.Count * numClasses);
        }
        return new DetectionTargets(tensor(rois, [count, 5]), tensor(labels, [count, numClasses]), info);
    }
}
