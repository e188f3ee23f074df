using Cluster.Training.Configs;
using Cluster.Training.Engine;

namespace Cluster.Training.Experiments;

/// <summary>Checks the run's device before anything is built, naming where the setting came from.</summary>
internal static class DeviceSetting
{
    public static string Validate(ConfigDocument document, string setting, bool fromCommandLine)
    {
        try
        {
            DeviceSelector.Resolve(setting);
            return setting;
        }
        catch (ArgumentException e)
        {
            throw new ConfigException(fromCommandLine ? "--device" : document.FileOf("device"), "device", e.Message);
        }
    }
}
