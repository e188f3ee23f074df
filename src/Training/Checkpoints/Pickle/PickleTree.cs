namespace Cluster.Training.Checkpoints.Pickle;

/// <summary>
/// Turns the unpickler's raw dictionaries into the public tree shape: a dictionary whose keys are all strings becomes
/// <c>Dictionary&lt;string, object?&gt;</c>; one with other keys (e.g. the int keys of an optimizer's state) stays
/// <c>Dictionary&lt;object, object?&gt;</c>. Insertion order is kept; shared objects stay shared.
/// </summary>
internal static class PickleTree
{
    public static object? Normalize(object? root) => Normalize(root, new Dictionary<object, object>(ReferenceEqualityComparer.Instance));

    private static object? Normalize(object? value, Dictionary<object, object> done)
    {
        if (value is null)
        {
            return null;
        }
        if (done.TryGetValue(value, out var normalized))
        {
            return normalized;
        }
        switch (value)
        {
            case Dictionary<object, object?> dictionary when dictionary.Keys.All(key => key is string):
                {
                    var stringKeyed = new Dictionary<string, object?>(dictionary.Count);
                    done[value] = stringKeyed;
                    foreach (var (key, item) in dictionary)
                    {
                        stringKeyed[(string)key] = Normalize(item, done);
                    }
                    return stringKeyed;
                }
            case Dictionary<object, object?> dictionary:
                done[value] = value;
                foreach (var key in dictionary.Keys.ToList())
                {
                    dictionary[key] = Normalize(dictionary[key], done);
                }
                return value;
            case List<object?> list:
                done[value] = value;
                for (int i = 0; i < list.Count; i++)
                {
                    list[i] = Normalize(list[i], done);
                }
                return value;
            case object?[] tuple:
                done[value] = value;
                for (int i = 0; i < tuple.Length; i++)
                {
                    tuple[i] = Normalize(tuple[i], done);
                }
                return value;
            case PythonObject instance:
                done[value] = value;
                Normalize(instance.Arguments, done);
                instance.State = Normalize(instance.State, done);
                return value;
            default:
                return value;
        }
    }
}
