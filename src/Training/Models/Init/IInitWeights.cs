namespace Cluster.Training.Models.Init;

/// <summary>
/// A module with MMEngine <c>BaseModule.init_weights</c> behaviour. Parents call it on their direct children only,
/// so a module reached through a plain container is not initialised by its ancestors (as in MMEngine).
/// </summary>
public interface IInitWeights
{
    void InitWeights(IPretrainedLoader? loader);
}
