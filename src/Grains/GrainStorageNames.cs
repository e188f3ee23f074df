namespace Cluster.Grains;

public static class GrainStorageNames
{
    /// <summary>The grain storage every silo registers: a local folder when embedded, Redis on a multi-silo cluster.</summary>
    public const string Cluster = "cluster";
}
