using System.Collections;
using Cluster.Training.Engine;
using static TorchSharp.torch;

namespace Cluster.Tests.Engine;

/// <summary>Keeps checkpoints as deep-copied trees (so they go through TrainingState.ToTree/FromTree).</summary>
internal sealed class InMemoryCheckpointWriter : ICheckpointWriter, IDisposable
{
    private readonly Dictionary<string, object?> trees = new();

    public IReadOnlyCollection<string> Paths => trees.Keys;

    public List<string> Deleted { get; } = [];

    public void Save(string path, TrainingState state)
    {
        if (trees.Remove(path, out var previous))
        {
            DisposeTensors(previous);
        }
        trees[path] = DeepCopy(state.ToTree());
    }

    public TrainingState Load(string path) =>
        TrainingState.FromTree((IDictionary)DeepCopy(trees.TryGetValue(path, out var tree)
            ? tree
            : throw new FileNotFoundException($"no checkpoint at {path}"))!, path);

    public IDictionary Tree(string path) => (IDictionary)trees[path]!;

    public void Delete(string path)
    {
        if (trees.Remove(path, out var tree))
        {
            Deleted.Add(path);
            DisposeTensors(tree);
        }
    }

    public void Dispose()
    {
        foreach (var tree in trees.Values)
        {
            DisposeTensors(tree);
        }
        trees.Clear();
    }

    private static object? DeepCopy(object? value) => value switch
    {
        Tensor tensor => tensor.clone(),
        Dictionary<string, object?> dictionary => dictionary.ToDictionary(p => p.Key, p => DeepCopy(p.Value)),
        Dictionary<object, object?> dictionary => dictionary.ToDictionary(p => p.Key, p => DeepCopy(p.Value)),
        List<object?> list => list.Select(DeepCopy).ToList(),
        _ => value,
    };

    private static void DisposeTensors(object? value)
    {
        switch (value)
        {
            case Tensor tensor:
                tensor.Dispose();
                break;
            case IDictionary dictionary:
                foreach (var item in dictionary.Values)
                {
                    DisposeTensors(item);
                }
                break;
            case IList list:
                foreach (var item in list)
                {
                    DisposeTensors(item);
                }
                break;
        }
    }
}
