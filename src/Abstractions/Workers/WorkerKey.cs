namespace Cluster.Abstractions.Workers;

/// <summary>
/// A compute slot's grain key: <c>{silo address}/{device}</c>, e.g. <c>10.0.0.7:11111@123456/cuda:1</c>.
/// The silo part is Orleans' parsable silo address (it includes the process generation), so a slot belongs to one silo
/// process: placement activates the grain only there, and a slot of a dead silo can never come back elsewhere.
/// </summary>
public static class WorkerKey
{
    public static string For(string siloAddress, string device) => $"{siloAddress}/{device}";

    public static (string SiloAddress, string Device) Parse(string key)
    {
        int slash = key.LastIndexOf('/');
        if (slash <= 0 || slash == key.Length - 1)
            throw new FormatException($"worker key '{key}' is not '<silo address>/<device>'");
        return (key[..slash], key[(slash + 1)..]);
    }
}
