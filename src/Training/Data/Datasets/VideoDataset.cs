using Cluster.Training.Data.Transforms;

namespace Cluster.Training.Data.Datasets;

/// <summary>MMAction2's <c>VideoDataset</c>: one video file per line.</summary>
public sealed class VideoDataset(
    string annFile, IReadOnlyList<AnnotationRecord> records, LabelRules labelRules, VideoPipeline pipeline,
    int startIndex, string modality, bool skipInvalid)
    : ActionDataset(annFile, records, labelRules, pipeline, skipInvalid)
{
    protected override void Describe(VideoSample sample, AnnotationRecord record)
    {
        sample.Filename = record.Path;
        sample.StartIndex = startIndex;
        sample.Modality = modality;
    }
}
