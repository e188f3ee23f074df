using System.Collections;
using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Training.Engine;

/// <summary>
/// Everything a resumed run needs, in MMEngine's checkpoint layout once turned into a tree (<see cref="ToTree"/>):
/// <code>
/// meta:             {epoch, iter, seed, time, cfg?, best_score?, best_ckpt?, keep_ckpt_ids?, early_stopping_*?}
/// state_dict:       {PyTorch-style parameter and buffer name: Tensor}
/// optimizer:        {state: {index: {...}}, param_groups: [{lr, initial_lr, ..., params: [index...]}]}   (optional)
/// param_schedulers: [{begin, end, by_epoch, last_step, _global_step, base_values, _last_value, ...}] (optional)
/// rng:              {torch: uint8 Tensor (torch.get_rng_state())}                                   (optional)
/// </code>
/// <c>epoch</c>/<c>iter</c> count completed epochs/iterations. Runtime information kept by hooks (best score and
/// checkpoint, kept checkpoint ids, early-stopping counters) sits in <c>meta</c> beside them. Tensors are CPU copies
/// owned by this object.
/// </summary>
public sealed class TrainingState : IDisposable
{
    public required int Epoch { get; init; }
    public required long Iter { get; init; }
    public long Seed { get; init; }
    public string? Config { get; init; }
    public DateTime Time { get; init; } = DateTime.UtcNow;
    /// <summary>Hook runtime information (MMEngine's message_hub runtime_info), stored in <c>meta</c>.</summary>
    public Dictionary<string, object?> RuntimeInfo { get; init; } = new();
    public required Dictionary<string, Tensor> StateDict { get; init; }
    public Dictionary<string, object?>? Optimizer { get; init; }
    public List<object?>? ParamSchedulers { get; init; }
    public Tensor? RngState { get; init; }

    private static readonly string[] MetaKeys = ["epoch", "iter", "seed", "time", "cfg"];

    public Dictionary<string, object?> ToTree()
    {
        var meta = new Dictionary<string, object?>
        {
            ["epoch"] = (long)Epoch,
            ["iter"] = Iter,
            ["seed"] = Seed,
            ["time"] = Time.ToString("yyyyMMdd_HHmmss", CultureInfo.InvariantCulture),
        };
        if (Config is not null)
        {
            meta["cfg"] = Config;
        }
        foreach (var (key, value) in RuntimeInfo)
        {
            meta[key] = value;
        }
        var tree = new Dictionary<string, object?>
        {
            ["meta"] = meta,
            ["state_dict"] = StateDict.ToDictionary(p => p.Key, p => (object?)p.Value),
        };
        if (Optimizer is not null)
        {
            tree["optimizer"] = Optimizer;
        }
        if (ParamSchedulers is not null)
        {
            tree["param_schedulers"] = ParamSchedulers;
        }
        if (RngState is not null)
        {
            tree["rng"] = new Dictionary<string, object?> { ["torch"] = RngState };
        }
        return tree;
    }

    /// <summary>Reads a tree written by <see cref="ToTree"/> (or an MMEngine checkpoint); <paramref name="source"/>
    /// names the checkpoint in errors. The state shares the tree's tensors.</summary>
    public static TrainingState FromTree(IDictionary tree, string source)
    {
        var meta = Section<IDictionary>(tree, "meta", source);
        var stateDict = Section<IDictionary>(tree, "state_dict", source);
        var runtimeInfo = new Dictionary<string, object?>();
        foreach (DictionaryEntry entry in meta)
        {
            if (entry.Key is string key && !MetaKeys.Contains(key))
            {
                runtimeInfo[key] = entry.Value;
            }
        }
        return new TrainingState
        {
            Epoch = (int)Integer(meta, "epoch", source),
            Iter = Integer(meta, "iter", source),
            Seed = meta.Contains("seed") && meta["seed"] is long seed ? seed : 0,
            Config = meta.Contains("cfg") ? meta["cfg"] as string : null,
            Time = meta.Contains("time") && meta["time"] is string time &&
                DateTime.TryParseExact(time, "yyyyMMdd_HHmmss", CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)
                ? parsed
                : default,
            RuntimeInfo = runtimeInfo,
            StateDict = Entries(stateDict).ToDictionary(
                entry => (string)entry.Key,
                entry => entry.Value as Tensor ?? throw new ArgumentException(
                    $"{source}: state_dict.{entry.Key} is not a tensor")),
            Optimizer = tree.Contains("optimizer") ? Section<Dictionary<string, object?>>(tree, "optimizer", source) : null,
            ParamSchedulers = tree.Contains("param_schedulers")
                ? Section<IList>(tree, "param_schedulers", source).Cast<object?>().ToList()
                : null,
            RngState = tree.Contains("rng") && tree["rng"] is IDictionary rng && rng.Contains("torch")
                ? rng["torch"] as Tensor
                : null,
        };
    }

    public void Dispose()
    {
        foreach (var tensor in StateDict.Values)
        {
            tensor.Dispose();
        }
        DisposeTensors(Optimizer);
        DisposeTensors(ParamSchedulers);
        RngState?.Dispose();
    }

    private static void DisposeTensors(object? tree)
    {
        switch (tree)
        {
            case Tensor tensor:
                tensor.Dispose();
                break;
            case IDictionary dictionary:
                foreach (var value in dictionary.Values)
                {
                    DisposeTensors(value);
                }
                break;
            case IList list:
                foreach (var value in list)
                {
                    DisposeTensors(value);
                }
                break;
        }
    }

    private static IEnumerable<DictionaryEntry> Entries(IDictionary dictionary)
    {
        foreach (DictionaryEntry entry in dictionary)
        {
            yield return entry;
        }
    }

    private static T Section<T>(IDictionary tree, string key, string source) where T : class =>
        tree.Contains(key)
            ? tree[key] as T ?? throw new ArgumentException($"{source}: '{key}' has an unexpected type {tree[key]?.GetType().Name}")
            : throw new ArgumentException($"{source}: missing '{key}'");

    private static long Integer(IDictionary meta, string key, string source) =>
        meta.Contains(key) && meta[key] is long value
            ? value
            : throw new ArgumentException($"{source}: meta.{key} is missing or not an integer");
}
