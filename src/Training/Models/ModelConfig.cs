using Cluster.Training.Models.Init;

namespace Cluster.Training.Models;

/// <summary>
/// The <c>model</c> section: a recogniser or a detector, chosen by <c>type</c>. Normalisation
/// (<c>data_preprocessor</c>) is done by the data pipeline, so that sub-tree is kept raw and not used by the model.
/// </summary>
public abstract class ModelConfig
{
    public Dictionary<string, object?>? DataPreprocessor { get; init; }
    public List<InitConfig>? InitCfg { get; init; }
}
