using System.Collections;
using Cluster.Training.Engine;
using static Cluster.Tests.Engine.RunnerFixture;
using static TorchSharp.torch;

namespace Cluster.Tests.Engine;

[Collection(GlobalTorchRandomCollection.Name)]
public class TrainingStateTests
{
    [Fact]
    public void CheckpointTreeFollowsMMEngineLayout()
    {
        using var data = SmallDataSet();
        using var model = Model(seed: 1);
        using var writer = new InMemoryCheckpointWriter();
        var options = Options(model, data, 2, new EventLog(), writer);
        var result = new TrainingRunner(new TrainingRunnerOptions
        {
            Model = model, TrainData = options.TrainData, ValData = options.ValData, TrainCfg = options.TrainCfg,
            OptimWrapper = options.OptimWrapper, ParamScheduler = options.ParamScheduler,
            ValEvaluator = options.ValEvaluator, Device = "cpu", WorkDir = "work", CheckpointWriter = writer,
            DefaultHooks = new() { Checkpoint = new Training.Hooks.CheckpointHookConfig { Interval = 1, SaveBest = "auto" } },
            ConfigText = "model = dict(type='Tiny')", Randomness = new RandomnessConfig { Seed = 42 },
        }).Run();

        var tree = writer.Tree("work/epoch_2.pth");
        var meta = (IDictionary)tree["meta"]!;
        Assert.Equal((2L, 6L, 42L), ((long)meta["epoch"]!, (long)meta["iter"]!, (long)meta["seed"]!));
        Assert.Equal("model = dict(type='Tiny')", meta["cfg"]);
        Assert.Matches(@"^\d{8}_\d{6}$", (string)meta["time"]!);
        Assert.Equal("work/epoch_2.pth", meta["last_ckpt"]);
        Assert.Equal(["fc1.weight", "fc1.bias", "fc.weight", "fc.bias"], ((IDictionary)tree["state_dict"]!).Keys.Cast<string>());
        var optimizer = (IDictionary)tree["optimizer"]!;
        Assert.Equal(4, ((IDictionary)optimizer["state"]!).Count);
        var scheduler = (IDictionary)((IList)tree["param_schedulers"]!)[0]!;
        // Stepped at build and after epochs 1 and 2; the step at global step 2 = end is outside [begin, end).
        Assert.Equal((1L, 2L), ((long)scheduler["last_step"]!, (long)scheduler["_global_step"]!));
        Assert.Equal(ScalarType.Byte, ((Tensor)((IDictionary)tree["rng"]!)["torch"]!).dtype);

        var best = writer.Tree(result.BestCheckpoint!);
        Assert.False(best.Contains("optimizer") || best.Contains("param_schedulers"));
    }

    [Fact]
    public void MissingMetaKeyNamesTheCheckpoint()
    {
        var tree = new Dictionary<string, object?>
        {
            ["meta"] = new Dictionary<string, object?> { ["epoch"] = 1L },
            ["state_dict"] = new Dictionary<string, object?>(),
        };
        var error = Assert.Throws<ArgumentException>(() => TrainingState.FromTree(tree, "ckpt/epoch_1.pth"));
        Assert.Equal("ckpt/epoch_1.pth: meta.iter is missing or not an integer", error.Message);
    }
}
