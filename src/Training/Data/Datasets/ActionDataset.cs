using Cluster.Training.Data.Decoding;
using Cluster.Training.Data.Transforms;

namespace Cluster.Training.Data.Datasets;

/// <summary>
/// An annotation list plus its pipeline. <see cref="Load"/> runs the pipeline for one index with a random source
/// derived from (seed, epoch, index), so a sample is the same whichever thread loads it.
/// </summary>
public abstract class ActionDataset(
    string annFile, IReadOnlyList<AnnotationRecord> records, LabelRules labelRules, VideoPipeline pipeline, bool skipInvalid)
{
    private long skippedSamples;

    public string AnnFile { get; } = annFile;
    public IReadOnlyList<AnnotationRecord> Records { get; } = records;
    public int Count => Records.Count;
    public bool IsMultiLabel => labelRules.MultiClass;
    public int? NumClasses => labelRules.NumClasses;

    /// <summary>How many times an invalid sample was replaced (with <c>skip_invalid</c>), over the dataset's life.</summary>
    public long SkippedSamples => Interlocked.Read(ref skippedSamples);

    public PackedSample Load(int index, int seed, int epoch)
    {
        if (index < 0 || index >= Count)
            throw new ArgumentOutOfRangeException(nameof(index), $"{AnnFile}: index {index} outside 0..{Count - 1}");
        for (int attempt = 0; ; attempt++)
        {
            int candidate = (index + attempt) % Count;
            try
            {
                return LoadExactly(candidate, seed, epoch);
            }
            catch (InvalidMediaException) when (skipInvalid && attempt + 1 < Count)
            {
                Interlocked.Increment(ref skippedSamples);
            }
        }
    }

    private PackedSample LoadExactly(int index, int seed, int epoch)
    {
        var record = Records[index];
        using var sample = new VideoSample(index, new Random(SampleSeed.Derive(seed, epoch, index)))
        {
            Labels = record.Labels,
        };
        Describe(sample, record);
        pipeline.Apply(sample);
        var inputs = sample.TakeInputs();
        return new PackedSample(inputs, sample.Labels, index)
        {
            Rois = sample.Rois?.Pack(width: (int)inputs.shape[^1], height: (int)inputs.shape[^2]),
        };
    }

    /// <summary>Fills the sample's file keys (filename or frame_dir, start_index, ...) from its record.</summary>
    protected abstract void Describe(VideoSample sample, AnnotationRecord record);
}
