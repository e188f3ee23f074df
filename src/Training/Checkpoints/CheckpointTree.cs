using System.Collections;
using static TorchSharp.torch;

namespace Cluster.Training.Checkpoints;

/// <summary>Walks a checkpoint tree (dictionaries, lists, tuples) to reach its tensors.</summary>
public static class CheckpointTree
{
    /// <summary>Every tensor in the tree, each once, in tree order.</summary>
    public static IEnumerable<Tensor> Tensors(object? tree)
    {
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<object?>();
        pending.Push(tree);
        while (pending.Count > 0)
        {
            var value = pending.Pop();
            if (value is null || value is string || value is byte[] || !seen.Add(value))
            {
                continue;
            }
            switch (value)
            {
                case Tensor tensor:
                    yield return tensor;
                    break;
                case IDictionary dictionary:
                    foreach (var item in dictionary.Values.Cast<object?>().Reverse())
                    {
                        pending.Push(item);
                    }
                    break;
                case PythonObject instance:
                    pending.Push(instance.State);
                    pending.Push(instance.Arguments);
                    break;
                case IEnumerable items:
                    foreach (var item in items.Cast<object?>().Reverse())
                    {
                        pending.Push(item);
                    }
                    break;
            }
        }
    }

    /// <summary>Releases the native memory of every tensor in the tree.</summary>
    public static void DisposeTensors(object? tree)
    {
        foreach (var tensor in Tensors(tree).ToList())
        {
            tensor.Dispose();
        }
    }
}
