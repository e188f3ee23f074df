namespace Cluster.Training.Distributed.Nccl;

/// <summary>What <c>ncclGetVersion</c> reports, decoded.</summary>
public readonly record struct NcclVersion(int Major, int Minor, int Patch)
{
    /// <summary>
    /// nccl.h's NCCL_VERSION(X,Y,Z): X*1000 + Y*100 + Z up to 2.8, X*10000 + Y*100 + Z from 2.9 on
    /// (so 2.8.4 = 2804 and 2.21.5 = 22105).
    /// </summary>
    public static NcclVersion Decode(int code) =>
        code >= 10000
            ? new NcclVersion(code / 10000, code % 10000 / 100, code % 100)
            : new NcclVersion(code / 1000, code % 1000 / 100, code % 100);

    /// <summary>ncclAvg exists from 2.10 on; before, a mean is a sum divided by the number of ranks.</summary>
    public bool SupportsAvg => Major > 2 || (Major == 2 && Minor >= 10);

    public override string ToString() => $"{Major}.{Minor}.{Patch}";
}
