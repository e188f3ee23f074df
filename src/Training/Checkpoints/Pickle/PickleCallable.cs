namespace Cluster.Training.Checkpoints.Pickle;

/// <summary>What a pickle GLOBAL resolves to when it is called by REDUCE or NEWOBJ: builds a value from its arguments.</summary>
internal delegate object? PickleCallable(object?[] args);
