using Cluster.Training.Checkpoints;
using static Cluster.Tests.Checkpoints.CheckpointFixtures;
using static TorchSharp.torch;

namespace Cluster.Tests.Checkpoints;

public class CheckpointWriterTests
{
    [Fact]
    public void MMEngineStyleTreeSurvivesAWriteReadRoundTrip()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("epoch_3.pth");
        using var weight = arange(12, ScalarType.Float32).reshape(3, 4);
        using var transposed = weight.t();
        using var half = tensor(new float[] { 0.5f, -1.25f }).to(ScalarType.Float16);
        using var bfloat = tensor(new float[] { 3f, -0.125f }).to(ScalarType.BFloat16);
        using var mask = tensor(new[] { true, false, true });
        using var counts = tensor(new long[] { long.MinValue, -1, 1L << 40 });
        using var ints = tensor(new[] { -7, int.MaxValue });
        using var pixels = tensor(new byte[] { 0, 200, 255 });
        using var momentum = full(new long[] { 3, 4 }, 0.25f);
        var tree = new Dictionary<string, object?>
        {
            ["meta"] = new Dictionary<string, object?>
            {
                ["epoch"] = 3L, ["iter"] = 300L, ["seed"] = -1L, ["big"] = 1L << 50, ["time"] = "20261123_120000",
                ["cfg"] = "model = dict(type='Recognizer2D')", ["ratio"] = 0.125, ["flag"] = true, ["none"] = null,
                ["blob"] = new byte[] { 0, 1, 200, 255 },
            },
            ["state_dict"] = new Dictionary<string, Tensor>
            {
                ["fc.weight"] = weight, ["fc.weight_t"] = transposed, ["half"] = half, ["bfloat"] = bfloat, ["mask"] = mask,
                ["counts"] = counts, ["ints"] = ints, ["pixels"] = pixels,
            },
            ["optimizer"] = new Dictionary<string, object?>
            {
                ["state"] = new Dictionary<object, object?> { [0L] = new Dictionary<string, object?> { ["momentum_buffer"] = momentum } },
                ["param_groups"] = new List<object?>
                {
                    new Dictionary<string, object?> { ["lr"] = 0.01, ["momentum"] = 0.9, ["params"] = new List<object?> { 0L, 1L } },
                },
            },
            ["param_schedulers"] = new List<object?> { new Dictionary<string, object?> { ["milestones"] = new object?[] { 20L, 40L }, ["last_epoch"] = 3L } },
            ["message_hub"] = new Dictionary<string, object?> { ["runtime_info"] = new Dictionary<string, object?>() },
        };

        CheckpointFile.Save(path, tree);
        var read = (Dictionary<string, object?>)CheckpointFile.Read(path)!;
        try
        {
            Assert.Equal(tree.Keys, read.Keys);
            Assert.Equal((Dictionary<string, object?>)tree["meta"]!, (Dictionary<string, object?>)read["meta"]!);
            var stateDict = (Dictionary<string, object?>)read["state_dict"]!;
            foreach (var (key, original) in (Dictionary<string, Tensor>)tree["state_dict"]!)
            {
                var copy = (Tensor)stateDict[key]!;
                Assert.Equal(original.dtype, copy.dtype);
                Assert.Equal(original.shape, copy.shape);
                Assert.Equal(Doubles(original), Doubles(copy));
            }
            Assert.Equal(new long[] { long.MinValue, -1, 1L << 40 }, Longs((Tensor)stateDict["counts"]!));

            var optimizer = (Dictionary<string, object?>)read["optimizer"]!;
            var state = Assert.IsType<Dictionary<object, object?>>(optimizer["state"]);
            var buffer = (Tensor)((Dictionary<string, object?>)state[0L]!)["momentum_buffer"]!;
            Assert.True(SameValues(buffer, momentum));
            var group = (Dictionary<string, object?>)((List<object?>)optimizer["param_groups"]!)[0]!;
            Assert.Equal(new object?[] { 0L, 1L }, (List<object?>)group["params"]!);
            var scheduler = (Dictionary<string, object?>)((List<object?>)read["param_schedulers"]!)[0]!;
            Assert.Equal(new object?[] { 20L, 40L }, (object?[])scheduler["milestones"]!);
            Assert.Empty((Dictionary<string, object?>)((Dictionary<string, object?>)read["message_hub"]!)["runtime_info"]!);
        }
        finally
        {
            CheckpointTree.DisposeTensors(read);
        }
    }

    [Fact]
    public void SaveReplacesAnExistingFileAndLeavesNoTemporaryFiles()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("latest.pth");
        File.WriteAllText(path, "older checkpoint");
        using var weight = ones(2, 2);

        CheckpointFile.Save(path, new Dictionary<string, object?> { ["state_dict"] = new Dictionary<string, Tensor> { ["w"] = weight } });

        Assert.Equal(new[] { path }, Directory.GetFiles(directory.Path));
        using var checkpoint = CheckpointFile.Load(path);
        Assert.True(SameValues(checkpoint.StateDict["w"], weight));
    }

    [Fact]
    public void UnsupportedValueNamesItsKeyPath()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("bad.pth");
        var tree = new Dictionary<string, object?> { ["meta"] = new Dictionary<string, object?> { ["when"] = DateTime.UnixEpoch } };

        var error = Assert.Throws<ArgumentException>(() => CheckpointFile.Save(path, tree));
        Assert.Contains("meta.when", error.Message);
        Assert.False(File.Exists(path));
    }
}
