using Cluster.Training.Models.Init;
using TorchSharp;

namespace Cluster.Tests.Models;

/// <summary>An <see cref="IPretrainedLoader"/> that only records its calls (optionally running a callback).</summary>
internal sealed class RecordingLoader(Action<torch.nn.Module>? onLoad = null) : IPretrainedLoader
{
    public List<(torch.nn.Module Target, string Checkpoint, string? Prefix)> Calls { get; } = [];

    public void Load(torch.nn.Module target, string checkpoint, string? prefix)
    {
        Calls.Add((target, checkpoint, prefix));
        onLoad?.Invoke(target);
    }
}
