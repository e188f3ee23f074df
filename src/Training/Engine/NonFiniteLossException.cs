namespace Cluster.Training.Engine;

/// <summary>The training loss became NaN or infinite; the run stops instead of corrupting the weights.</summary>
public sealed class NonFiniteLossException(int epoch, int iteration, int itersPerEpoch, double loss)
    : Exception($"training loss is {loss} at epoch {epoch}, iteration {iteration}/{itersPerEpoch}")
{
    public int Epoch { get; } = epoch;
    public int Iteration { get; } = iteration;
}
