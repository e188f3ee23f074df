namespace Cluster.Training.Checkpoints.Pickle;

/// <summary>Gives meaning to the two things a pickle stream cannot carry by itself: named classes and persistent ids.</summary>
internal interface IPickleResolver
{
    /// <summary>The object a GLOBAL names: a <see cref="PickleCallable"/> or a marker value. Throws for anything not allowed.</summary>
    object ResolveGlobal(string module, string name);

    /// <summary>The object a persistent id (BINPERSID) stands for, e.g. a tensor storage kept outside the pickle.</summary>
    object? PersistentLoad(object? persistentId);
}
