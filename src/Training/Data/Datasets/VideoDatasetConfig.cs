using Cluster.Training.Configs;
using Cluster.Training.Data.Transforms;

namespace Cluster.Training.Data.Datasets;

[ConfigType("VideoDataset")]
public sealed class VideoDatasetConfig : DatasetConfig
{
    public int StartIndex { get; init; }
    public string Delimiter { get; init; } = " ";

    public override ActionDataset Build()
    {
        var annFile = ResolveAnnFile();
        var rules = LabelRules.From(MultiClass, NumClasses, "VideoDataset");
        var records = AnnotationListReader.ReadVideoList(annFile, Resolve(DataPrefix.Video), rules, Delimiter);
        return new VideoDataset(annFile, records, rules, VideoPipeline.FromConfigs(Pipeline), StartIndex, Modality, SkipInvalid);
    }
}
