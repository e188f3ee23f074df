using Cluster.Training.Checkpoints;
using TorchSharp;
using static Cluster.Tests.Checkpoints.CheckpointFixtures;
using static TorchSharp.torch;

namespace Cluster.Tests.Checkpoints;

public class CheckpointReaderTests
{
    [Fact]
    public void EveryDtypeAndLayoutMatchesTheValuesPythonComputed()
    {
        var expected = Json("dtypes_expected.json");
        var tree = (Dictionary<string, object?>)CheckpointFile.Read(PathOf("dtypes.pth"))!;
        try
        {
            Assert.Equal(expected.EnumerateObject().Select(p => p.Name), tree.Keys);
            foreach (var property in expected.EnumerateObject())
            {
                var tensor = Assert.IsAssignableFrom<Tensor>(tree[property.Name]);
                Assert.Equal(property.Value.GetProperty("dtype").GetString(), PythonDtypeName(tensor.dtype));
                Assert.Equal(property.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()), tensor.shape);
                var values = property.Value.GetProperty("values").EnumerateArray();
                if (tensor.dtype == ScalarType.Int64)
                {
                    Assert.Equal(values.Select(e => e.GetInt64()), Longs(tensor));
                }
                else
                {
                    Assert.Equal(values.Select(e => e.GetDouble()), Doubles(tensor));
                }
            }
        }
        finally
        {
            CheckpointTree.DisposeTensors(tree);
        }
    }

    [Fact]
    public void ViewsOfOneStorageShareMemoryLikeInPyTorch()
    {
        var tree = (Dictionary<string, object?>)CheckpointFile.Read(PathOf("dtypes.pth"))!;
        try
        {
            var transposed = (Tensor)tree["transposed"]!;
            var narrowed = (Tensor)tree["narrowed"]!;
            Assert.False(transposed.is_contiguous());
            Assert.Equal(new long[] { 1, 4 }, transposed.stride());
            // narrowed = matrix[1:, 1:3] and transposed = matrix.t(), so narrowed[0, 0] is transposed[1, 1].
            narrowed[0, 0] = tensor(100f);
            Assert.Equal(100f, transposed[1, 1].item<float>());
        }
        finally
        {
            CheckpointTree.DisposeTensors(tree);
        }
    }

    [Fact]
    public void MMActionCheckpointExposesMetaAndPrefixedStateDict()
    {
        using var checkpoint = CheckpointFile.Load(PathOf("mmaction_style.pth"));
        Assert.Equal(5L, checkpoint.Meta!["epoch"]);
        Assert.Equal("0.10.4", checkpoint.Meta["mmengine_version"]);
        var datasetMeta = (Dictionary<string, object?>)checkpoint.Meta["dataset_meta"]!;
        Assert.Equal(new object?[] { "a", "b", "c" }, (List<object?>)datasetMeta["classes"]!);
        Assert.Equal(26, checkpoint.StateDict.Count);
        Assert.Equal("backbone.conv1.conv.weight", checkpoint.StateDict.Keys.First());
        Assert.Equal(new long[] { 3, 6 }, checkpoint.StateDict["cls_head.fc_cls.weight"].shape);
        Assert.Equal(ScalarType.Int64, checkpoint.StateDict["backbone.conv1.bn.num_batches_tracked"].dtype);
    }

    [Fact]
    public void OptimizerStateKeepsIntegerKeysAndParamGroups()
    {
        var expected = Json("optimizer_sgd_expected.json");
        using var checkpoint = CheckpointFile.Load(PathOf("optimizer_sgd.pth"));
        var root = (Dictionary<string, object?>)checkpoint.Tree!;
        var optimizer = (Dictionary<string, object?>)root["optimizer"]!;
        var state = Assert.IsType<Dictionary<object, object?>>(optimizer["state"]);
        Assert.Equal(new object[] { 0L, 1L, 2L, 3L }, state.Keys);
        foreach (var buffer in expected.GetProperty("momentum_buffers").EnumerateObject())
        {
            var momentum = (Tensor)((Dictionary<string, object?>)state[long.Parse(buffer.Name)]!)["momentum_buffer"]!;
            Assert.Equal(buffer.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()), momentum.shape);
            Assert.Equal(buffer.Value.GetProperty("sum").GetDouble(), Doubles(momentum).Sum(), 6);
        }
        var group = (Dictionary<string, object?>)((List<object?>)optimizer["param_groups"]!)[0]!;
        Assert.Equal(0.1, group["lr"]);
        Assert.Equal(0.9, group["momentum"]);
        Assert.Equal(1e-4, group["weight_decay"]);
        Assert.Equal(false, group["nesterov"]);
        Assert.Null(group["foreach"]);
        Assert.Equal(new object?[] { 0L, 1L, 2L, 3L }, (List<object?>)group["params"]!);
    }

    [Theory]
    [InlineData("python_values_protocol2.pth")]
    [InlineData("python_values_protocol4.pth")]
    public void PlainPythonValuesReadInBothPickleProtocols(string file)
    {
        var tree = (Dictionary<string, object?>)CheckpointFile.Read(PathOf(file))!;
        try
        {
            Assert.Equal("\u00fcn\u00efcode", tree["name"]);
            Assert.Equal(new byte[] { 0x00, 0xff, (byte)'a', (byte)'b' }, (byte[])tree["bytes"]!);
            Assert.Empty((byte[])tree["empty_bytes"]!);
            Assert.Equal(new object?[] { 7L }, (List<object?>)tree["set"]!);
            Assert.Equal(new object?[] { 8L }, (List<object?>)tree["frozenset"]!);
            Assert.Equal(new object?[] { 1L, 2.5, null, true }, (object?[])tree["tuple"]!);
            Assert.Equal(-(1L << 60), tree["negative"]);
            var int16 = (Tensor)tree["int16"]!;
            Assert.Equal(ScalarType.Int16, int16.dtype);
            Assert.Equal(new[] { -3.0, 300.0 }, Doubles(int16));
            var int8 = (Tensor)tree["int8"]!;
            Assert.Equal(ScalarType.Int8, int8.dtype);
            Assert.Equal(new[] { -128.0, 127.0 }, Doubles(int8));
        }
        finally
        {
            CheckpointTree.DisposeTensors(tree);
        }
    }

    [Theory]
    [InlineData("resnet18_narrow.pth", 122, "layer4.1.bn2.running_var", new long[] { 64 })]
    [InlineData("resnet50_narrow.pth", 320, "layer4.2.conv3.weight", new long[] { 256, 64, 1, 1 })]
    public void NarrowResNetFixturesReadWithTorchvisionNames(string file, int keyCount, string lastBlockKey, long[] shape)
    {
        using var checkpoint = CheckpointFile.Load(PathOf(file));
        Assert.Equal(keyCount, checkpoint.StateDict.Count);
        Assert.Equal(new long[] { 8, 3, 7, 7 }, checkpoint.StateDict["conv1.weight"].shape);
        Assert.Equal(shape, checkpoint.StateDict[lastBlockKey].shape);
        Assert.Equal(new long[] { 10 }, checkpoint.StateDict["fc.bias"].shape);
        Assert.Equal(3L, checkpoint.StateDict["bn1.num_batches_tracked"].item<long>());
    }

    private static string PythonDtypeName(ScalarType type) => type switch
    {
        ScalarType.Float32 => "float32",
        ScalarType.Float64 => "float64",
        ScalarType.Float16 => "float16",
        ScalarType.BFloat16 => "bfloat16",
        ScalarType.Int64 => "int64",
        ScalarType.Int32 => "int32",
        ScalarType.Byte => "uint8",
        ScalarType.Bool => "bool",
        _ => type.ToString(),
    };
}
