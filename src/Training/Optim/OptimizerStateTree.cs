using System.Collections;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Cluster.Training.Optim;

/// <summary>
/// Converts the state of TorchSharp's SGD/AdamW to and from PyTorch's <c>optimizer.state_dict()</c> layout:
/// <c>{state: {index: {momentum_buffer} | {step, exp_avg, exp_avg_sq[, max_exp_avg_sq]}}, param_groups: [{lr,
/// initial_lr, hyper-parameters..., params: [index...]}]}</c>, parameters numbered across groups in order.
/// Only parameters with state (a momentum buffer, or at least one AdamW step) appear under <c>state</c>, as in PyTorch.
/// Tensors in the tree are detached CPU copies; loading copies them onto each parameter's device.
/// </summary>
public static class OptimizerStateTree
{
    public static Dictionary<string, object?> ToTree(OptimizerHelper optimizer)
    {
        var stateDict = optimizer.state_dict();
        var state = new Dictionary<object, object?>();
        for (int index = 0; index < stateDict.State.Count; index++)
        {
            var entry = StateEntry(stateDict.State[index]);
            if (entry is not null)
            {
                state[(long)index] = entry;
            }
        }
        var groups = new List<object?>();
        long next = 0;
        var paramGroups = optimizer.ParamGroups.Cast<ParamGroup>().ToList();
        for (int g = 0; g < paramGroups.Count; g++)
        {
            var group = GroupEntry(stateDict.Options[g]);
            int count = paramGroups[g].Parameters.Count();
            group["params"] = Enumerable.Range(0, count).Select(i => (object?)(next + i)).ToList();
            next += count;
            groups.Add(group);
        }
        return new Dictionary<string, object?> { ["state"] = state, ["param_groups"] = groups };
    }

    public static void LoadTree(OptimizerHelper optimizer, IDictionary tree)
    {
        var stateDict = optimizer.state_dict();
        var groups = Require<IList>(tree, "param_groups", "optimizer");
        if (groups.Count != stateDict.Options.Count)
        {
            throw new ArgumentException(
                $"optimizer.param_groups has {groups.Count} groups, the optimizer has {stateDict.Options.Count}");
        }
        for (int g = 0; g < groups.Count; g++)
        {
            LoadGroup(stateDict.Options[g], (IDictionary)groups[g]!, $"optimizer.param_groups[{g}]");
        }
        var entries = ByIndex(Require<IDictionary>(tree, "state", "optimizer"));
        var parameters = optimizer.ParamGroups.Cast<ParamGroup>().SelectMany(group => group.Parameters).ToList();
        for (int index = 0; index < stateDict.State.Count; index++)
        {
            LoadStateEntry(stateDict.State[index], entries.GetValueOrDefault(index), parameters[index].device,
                $"optimizer.state.{index}");
        }
    }

    private static Dictionary<string, object?>? StateEntry(OptimizerState state) => state switch
    {
        SGD.State { momentum_buffer: not null } sgd =>
            new Dictionary<string, object?> { ["momentum_buffer"] = CpuCopy(sgd.momentum_buffer) },
        AdamW.State { step: > 0 } adamW => AdamWEntry(adamW),
        SGD.State or AdamW.State => null,
        _ => throw new NotSupportedException($"optimizer state of type {state.GetType().FullName} is not supported"),
    };

    private static Dictionary<string, object?> AdamWEntry(AdamW.State adamW)
    {
        var entry = new Dictionary<string, object?>
        {
            // PyTorch ≥ 1.12 keeps `step` as a float32 scalar tensor.
            ["step"] = tensor((float)adamW.step),
            ["exp_avg"] = CpuCopy(adamW.exp_avg),
            ["exp_avg_sq"] = CpuCopy(adamW.exp_avg_sq),
        };
        if (adamW.max_exp_avg_sq is not null)
        {
            entry["max_exp_avg_sq"] = CpuCopy(adamW.max_exp_avg_sq);
        }
        return entry;
    }

    private static Dictionary<string, object?> GroupEntry(OptimizerOptions options) => options switch
    {
        SGD.Options sgd => new Dictionary<string, object?>
        {
            ["lr"] = sgd.LearningRate!.Value,
            ["momentum"] = sgd.momentum!.Value,
            ["dampening"] = sgd.dampening!.Value,
            ["weight_decay"] = sgd.weight_decay!.Value,
            ["nesterov"] = sgd.nesterov!.Value,
            ["maximize"] = sgd.maximize!.Value,
            ["initial_lr"] = sgd.InitialLearningRate,
        },
        AdamW.Options adamW => new Dictionary<string, object?>
        {
            ["lr"] = adamW.LearningRate!.Value,
            ["betas"] = new List<object?> { adamW.beta1!.Value, adamW.beta2!.Value },
            ["eps"] = adamW.eps!.Value,
            ["weight_decay"] = adamW.weight_decay!.Value,
            ["amsgrad"] = adamW.amsgrad!.Value,
            ["maximize"] = adamW.maximize!.Value,
            ["initial_lr"] = adamW.InitialLearningRate,
        },
        _ => throw new NotSupportedException($"optimizer options of type {options.GetType().FullName} are not supported"),
    };

    private static void LoadGroup(OptimizerOptions options, IDictionary group, string path)
    {
        options.LearningRate = Number(group, "lr", path);
        options.InitialLearningRate = group.Contains("initial_lr") ? Number(group, "initial_lr", path) : options.LearningRate.Value;
        switch (options)
        {
            case SGD.Options sgd:
                sgd.momentum = Number(group, "momentum", path);
                sgd.dampening = Number(group, "dampening", path);
                sgd.weight_decay = Number(group, "weight_decay", path);
                sgd.nesterov = Require<bool>(group, "nesterov", path);
                break;
            case AdamW.Options adamW:
                var betas = Require<IList>(group, "betas", path);
                adamW.beta1 = ToDouble(betas[0], path + ".betas");
                adamW.beta2 = ToDouble(betas[1], path + ".betas");
                adamW.eps = Number(group, "eps", path);
                adamW.weight_decay = Number(group, "weight_decay", path);
                adamW.amsgrad = Require<bool>(group, "amsgrad", path);
                break;
        }
    }

    private static void LoadStateEntry(OptimizerState state, IDictionary? entry, Device device, string path)
    {
        switch (state)
        {
            case SGD.State sgd:
                sgd.momentum_buffer?.Dispose();
                sgd.momentum_buffer = entry is null ? null! : DeviceCopy(Require<Tensor>(entry, "momentum_buffer", path), device);
                break;
            case AdamW.State adamW:
                if (entry is null)
                {
                    adamW.step = 0;
                    adamW.exp_avg.zero_();
                    adamW.exp_avg_sq.zero_();
                    adamW.max_exp_avg_sq?.zero_();
                    break;
                }
                adamW.step = (long)Math.Round(entry["step"] switch
                {
                    Tensor step => step.ToDouble(),
                    var other => ToDouble(other, path + ".step"),
                });
                ReplaceWith(ref adamW.exp_avg, Require<Tensor>(entry, "exp_avg", path), device);
                ReplaceWith(ref adamW.exp_avg_sq, Require<Tensor>(entry, "exp_avg_sq", path), device);
                if (adamW.max_exp_avg_sq is not null)
                {
                    ReplaceWith(ref adamW.max_exp_avg_sq, Require<Tensor>(entry, "max_exp_avg_sq", path), device);
                }
                break;
        }
    }

    private static void ReplaceWith(ref Tensor target, Tensor source, Device device)
    {
        target.Dispose();
        target = DeviceCopy(source, device);
    }

    /// <summary>State entries by parameter index (PyTorch writes int keys; they may arrive as long or int).</summary>
    private static Dictionary<long, IDictionary?> ByIndex(IDictionary state)
    {
        var entries = new Dictionary<long, IDictionary?>();
        foreach (DictionaryEntry entry in state)
        {
            entries[Convert.ToInt64(entry.Key)] = entry.Value as IDictionary;
        }
        return entries;
    }

    private static Tensor CpuCopy(Tensor tensor) => tensor.detach().to(CPU, copy: true).DetachFromDisposeScope();

    private static Tensor DeviceCopy(Tensor tensor, Device device) =>
        tensor.detach().to(device, copy: true).DetachFromDisposeScope();

    private static double Number(IDictionary dictionary, string key, string path) =>
        ToDouble(dictionary.Contains(key) ? dictionary[key] : throw Missing(key, path), $"{path}.{key}");

    private static double ToDouble(object? value, string path) => value switch
    {
        double d => d,
        long l => l,
        int i => i,
        float f => f,
        _ => throw new ArgumentException($"{path}: expected a number, got {value?.GetType().Name ?? "null"}"),
    };

    private static T Require<T>(IDictionary dictionary, string key, string path)
    {
        if (!dictionary.Contains(key))
        {
            throw Missing(key, path);
        }
        return dictionary[key] is T value
            ? value
            : throw new ArgumentException(
                $"{path}.{key}: expected {typeof(T).Name}, got {dictionary[key]?.GetType().Name ?? "null"}");
    }

    private static ArgumentException Missing(string key, string path) => new($"{path}: missing key '{key}'");
}
