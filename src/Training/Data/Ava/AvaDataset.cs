using Cluster.Training.Data.Datasets;
using Cluster.Training.Data.Detection;
using Cluster.Training.Data.Transforms;

namespace Cluster.Training.Data.Ava;

/// <summary>
/// MMAction2's <c>AVADataset</c>: one sample per annotated keyframe that is not excluded. Loading a sample runs the
/// pipeline (SampleAVAFrames, RawFrameDecode, ...) over <c>frame_dir</c> and packs its RoIs
/// (<see cref="PackedSample.Rois"/>), which the loader collates into <see cref="Batch.Detection"/>.
/// Build one from <see cref="AvaDatasetConfig"/>.
/// </summary>
public sealed class AvaDataset : ActionDataset
{
    private readonly AvaDatasetSettings settings;

    internal AvaDataset(
        string annFile, IReadOnlyList<AvaKeyframeSample> samples, AvaDatasetSettings settings, VideoPipeline pipeline,
        bool skipInvalid)
        : base(annFile, samples.Select(s => new AnnotationRecord(s.FrameDir, [], s.Line, settings.ShotFrames)).ToList(),
            new LabelRules(false, settings.NumClasses), pipeline, skipInvalid)
    {
        Samples = samples;
        this.settings = settings;
        VideoIds = samples.Select(s => s.Key.VideoId).Distinct().ToList();
    }

    public IReadOnlyList<AvaKeyframeSample> Samples { get; }

    /// <summary>Videos in order of first appearance in the annotation file.</summary>
    public IReadOnlyList<string> VideoIds { get; }

    public AvaLabelMap? LabelMap => settings.LabelMap;
    public int Fps => settings.Fps;
    public int TimestampStart => settings.TimestampStart;
    public bool TestMode => settings.TestMode;

    /// <summary>The dataset indices of the keyframes of <paramref name="videoIds"/> (e.g. one shard of videos), in
    /// dataset order; for <c>sampler.indices</c> / <see cref="Loading.DataShard"/>.</summary>
    public int[] IndicesOfVideos(IEnumerable<string> videoIds)
    {
        var wanted = videoIds.ToHashSet();
        return Enumerable.Range(0, Samples.Count).Where(i => wanted.Contains(Samples[i].Key.VideoId)).ToArray();
    }

    protected override void Describe(VideoSample sample, AnnotationRecord record)
    {
        var keyframe = Samples[sample.DatasetIndex];
        sample.FrameDir = keyframe.FrameDir;
        sample.TotalFrames = settings.ShotFrames;
        sample.FilenameTmpl = settings.FilenameTmpl;
        sample.StartIndex = settings.StartIndex;
        sample.Modality = settings.Modality;
        sample.Labels = [];
        sample.Keyframe = new AvaClipTiming(keyframe.Key, settings.TimestampStart, settings.Fps, settings.ShotFrames);
        sample.Rois = new SampleRois(keyframe.Key, keyframe.Rois, settings.NumClasses);
    }
}

/// <summary>What an <see cref="AvaDataset"/> needs at load time besides its samples.</summary>
internal sealed record AvaDatasetSettings(
    int NumClasses, int Fps, int TimestampStart, int ShotFrames, string FilenameTmpl, int StartIndex, string Modality,
    bool TestMode, AvaLabelMap? LabelMap);
