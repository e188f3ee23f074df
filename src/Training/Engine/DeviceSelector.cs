using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Training.Engine;

/// <summary>Turns a device setting into a torch device: "auto" (CUDA when available, else CPU), "cpu", "cuda", "cuda:N".</summary>
public static class DeviceSelector
{
    public static Device Resolve(string setting)
    {
        string normalized = setting.Trim().ToLowerInvariant();
        if (normalized == "auto")
        {
            return cuda.is_available() ? CUDA : CPU;
        }
        if (normalized == "cpu")
        {
            return CPU;
        }
        if (normalized == "cuda" || normalized.StartsWith("cuda:", StringComparison.Ordinal))
        {
            if (!cuda.is_available())
            {
                throw new ArgumentException($"device '{setting}': CUDA is not available on this machine");
            }
            if (normalized == "cuda")
            {
                return CUDA;
            }
            if (!int.TryParse(normalized["cuda:".Length..], out int index) || index < 0 || index >= cuda.device_count())
            {
                throw new ArgumentException($"device '{setting}': expected cuda:N with N below {cuda.device_count()}");
            }
            return new Device(DeviceType.CUDA, index);
        }
        throw new ArgumentException($"device '{setting}': expected auto, cpu, cuda or cuda:N");
    }
}
