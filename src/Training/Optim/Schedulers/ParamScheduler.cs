using System.Collections;
using static TorchSharp.torch;

namespace Cluster.Training.Optim.Schedulers;

/// <summary>
/// MMEngine's <c>_ParamScheduler</c> for the learning rate. Each <see cref="Step"/> advances a global step counter;
/// while <c>Begin &lt;= step &lt; End</c> the scheduler's own step (<see cref="LastStep"/>, counted from Begin)
/// advances and every group's lr is replaced by the chainable value computed from the current lr, so several
/// schedulers compose multiplicatively in list order. <see cref="Start"/> performs the first step, as MMEngine's
/// constructor does.
/// </summary>
public abstract class ParamScheduler
{
    private readonly IReadOnlyList<optim.ILearningRateController> groups;
    private int globalStep = -1;

    protected ParamScheduler(IReadOnlyList<optim.ILearningRateController> groups, int begin, int end, bool byEpoch)
    {
        if (end <= begin)
        {
            throw new ArgumentException($"{GetType().Name}: end should be larger than begin, got begin={begin}, end={end}");
        }
        this.groups = groups;
        Begin = begin;
        End = end;
        ByEpoch = byEpoch;
        BaseValues = groups.Select(group => group.InitialLearningRate).ToList();
        LastValues = groups.Select(group => group.LearningRate).ToList();
    }

    public int Begin { get; }
    public int End { get; }
    public bool ByEpoch { get; }
    public int LastStep { get; private set; } = -1;
    public IReadOnlyList<double> BaseValues { get; private set; }
    public IReadOnlyList<double> LastValues { get; private set; }

    /// <summary>The first step, applied when the scheduler is built (MMEngine calls it in the constructor).</summary>
    public void Start()
    {
        if (globalStep != -1)
        {
            throw new InvalidOperationException($"{GetType().Name} was already started");
        }
        Step();
    }

    public void Step()
    {
        globalStep++;
        if (Begin <= globalStep && globalStep < End)
        {
            LastStep++;
            for (int i = 0; i < groups.Count; i++)
            {
                groups[i].LearningRate = NextValue(groups[i].LearningRate, BaseValues[i]);
            }
        }
        LastValues = groups.Select(group => group.LearningRate).ToList();
    }

    /// <summary>The chainable value at <see cref="LastStep"/> from the group's current value.</summary>
    protected abstract double NextValue(double current, double baseValue);

    /// <summary>MMEngine's scheduler <c>state_dict()</c> (its attributes minus the optimizer).</summary>
    public Dictionary<string, object?> ToTree()
    {
        var tree = new Dictionary<string, object?>
        {
            ["param_name"] = "lr",
            ["begin"] = (long)Begin,
            ["end"] = (long)End,
            ["by_epoch"] = ByEpoch,
            ["last_step"] = (long)LastStep,
            ["_global_step"] = (long)globalStep,
            ["base_values"] = BaseValues.Select(v => (object?)v).ToList(),
            ["_last_value"] = LastValues.Select(v => (object?)v).ToList(),
            ["verbose"] = false,
        };
        foreach (var (key, value) in Hyperparameters())
        {
            tree[key] = value;
        }
        return tree;
    }

    /// <summary>Back to before its first step, with the groups' lr at its base values (see <see cref="ParamSchedulerSet.ReplayTo"/>).</summary>
    internal void Rewind()
    {
        globalStep = -1;
        LastStep = -1;
        for (int i = 0; i < groups.Count; i++)
        {
            groups[i].LearningRate = BaseValues[i];
        }
    }

    /// <summary>Restores the step counters and values saved by <see cref="ToTree"/>.</summary>
    public void LoadTree(IDictionary tree, string path)
    {
        LastStep = (int)Long(tree, "last_step", path);
        globalStep = (int)Long(tree, "_global_step", path);
        BaseValues = Doubles(tree, "base_values", path);
        LastValues = Doubles(tree, "_last_value", path);
    }

    /// <summary>The type-specific attributes, under MMEngine's names.</summary>
    protected abstract IEnumerable<(string Key, object? Value)> Hyperparameters();

    private static long Long(IDictionary tree, string key, string path) =>
        tree[key] is long value ? value : throw new ArgumentException($"{path}.{key}: expected an integer");

    private static List<double> Doubles(IDictionary tree, string key, string path) =>
        tree[key] is IList values
            ? values.Cast<object?>().Select(v => v is double d ? d : v is long l ? l
                : throw new ArgumentException($"{path}.{key}: expected numbers")).ToList()
            : throw new ArgumentException($"{path}.{key}: expected a list");
}
