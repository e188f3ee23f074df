using Cluster.Training.Data.Transforms;

namespace Cluster.Training.Data.Datasets;

/// <summary>MMAction2's <c>RawframeDataset</c>: one directory of extracted frames per line.</summary>
public sealed class RawframeDataset(
    string annFile, IReadOnlyList<AnnotationRecord> records, LabelRules labelRules, VideoPipeline pipeline,
    string filenameTmpl, int startIndex, string modality, bool skipInvalid)
    : ActionDataset(annFile, records, labelRules, pipeline, skipInvalid)
{
    protected override void Describe(VideoSample sample, AnnotationRecord record)
    {
        sample.FrameDir = record.Path;
        sample.TotalFrames = record.TotalFrames;
        sample.Offset = record.Offset;
        sample.FilenameTmpl = filenameTmpl;
        sample.StartIndex = startIndex;
        sample.Modality = modality;
    }
}
