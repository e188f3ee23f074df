using Cluster.Training.Configs;
using Cluster.Training.Data.Transforms;

namespace Cluster.Training.Data.Datasets;

[ConfigType("RawframeDataset")]
public sealed class RawframeDatasetConfig : DatasetConfig
{
    public string FilenameTmpl { get; init; } = "img_{:05}.jpg";
    public bool WithOffset { get; init; }
    public int StartIndex { get; init; } = 1;

    public override ActionDataset Build()
    {
        var annFile = ResolveAnnFile();
        var rules = LabelRules.From(MultiClass, NumClasses, "RawframeDataset");
        var records = AnnotationListReader.ReadRawframeList(annFile, Resolve(DataPrefix.Img), rules, WithOffset);
        return new RawframeDataset(annFile, records, rules, VideoPipeline.FromConfigs(Pipeline),
            FilenameTmpl, StartIndex, Modality, SkipInvalid);
    }
}
