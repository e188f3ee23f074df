using Cluster.Training.Checkpoints;
using static Cluster.Tests.Checkpoints.CheckpointFixtures;
using static TorchSharp.torch;

namespace Cluster.Tests.Checkpoints;

/// <summary>mmengine_resume_like.pth carries a numpy scalar in meta and a HistoryBuffer holding numpy arrays.</summary>
public class UnknownClassTests
{
    [Fact]
    public void ByDefaultTheFirstForeignClassIsRefusedByName()
    {
        string path = PathOf("mmengine_resume_like.pth");

        var error = Assert.Throws<CheckpointFormatException>(() => CheckpointFile.Load(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("unsupported Python class numpy.core.multiarray.scalar", error.Message);
    }

    [Fact]
    public void WhenAllowedForeignObjectsAreKeptAsDataBesideTheWeights()
    {
        using var checkpoint = CheckpointFile.Load(PathOf("mmengine_resume_like.pth"), allowUnknownClasses: true);

        Assert.Equal(new[] { "weight", "bias" }, checkpoint.StateDict.Keys);
        Assert.Equal(new long[] { 2, 2 }, checkpoint.StateDict["weight"].shape);
        Assert.Equal(2L, checkpoint.Meta!["epoch"]);
        var bestScore = Assert.IsType<PythonObject>(checkpoint.Meta["best_score"]);
        Assert.Equal("numpy.core.multiarray.scalar", bestScore.ClassName);
        Assert.Equal("numpy.dtype", Assert.IsType<PythonObject>(bestScore.Arguments[0]).ClassName);
        Assert.Equal(BitConverter.GetBytes(0.75), (byte[])bestScore.Arguments[1]!);

        var root = (Dictionary<string, object?>)checkpoint.Tree!;
        var logScalars = (Dictionary<string, object?>)((Dictionary<string, object?>)root["message_hub"]!)["log_scalars"]!;
        var history = Assert.IsType<PythonObject>(logScalars["train/loss"]);
        Assert.Equal("mmengine.logging.history_buffer.HistoryBuffer", history.ClassName);
        var attributes = Assert.IsType<Dictionary<string, object?>>(history.State);
        Assert.Equal(1000000L, attributes["max_length"]);
        var logHistory = Assert.IsType<PythonObject>(attributes["_log_history"]);
        Assert.Equal("numpy.core.multiarray._reconstruct", logHistory.ClassName);
        Assert.Equal(new PythonClass("numpy.ndarray"), logHistory.Arguments[0]);
    }
}
