namespace Cluster.Training.Checkpoints;

/// <summary>
/// A Python class named in a checkpoint that has no C# meaning (e.g. <c>numpy.ndarray</c>), kept by name when a file
/// is read with unknown classes allowed.
/// </summary>
public sealed record PythonClass(string Name);

/// <summary>
/// An instance of a <see cref="PythonClass"/> (e.g. MMEngine's <c>HistoryBuffer</c> in <c>message_hub</c>, or a numpy
/// array), kept as the data pickle rebuilt it from: constructor arguments and the state set on it afterwards.
/// Trees holding these cannot be saved back.
/// </summary>
public sealed class PythonObject(string className, object?[] arguments)
{
    public string ClassName { get; } = className;

    public object?[] Arguments { get; } = arguments;

    /// <summary>What pickle's BUILD set on the object (usually its <c>__dict__</c> or a state tuple); null if nothing.</summary>
    public object? State { get; internal set; }
}
